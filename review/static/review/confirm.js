/* The confirmation before a transition (review/confirmation.py). A submit button with data-confirm opens the page's
   <dialog id="review-confirm-dialog"> with that text; with data-confirm-reason="<id>" the dialog asks for the
   reason and copies it into that field. Confirming marks the form (_confirm=yes) and submits it with the same
   button; cancelling submits nothing. */
(function () {
  "use strict";
  var dialog = document.getElementById("review-confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return; // no <dialog>: the server's confirmation page
  var text = document.getElementById("review-confirm-dialog-text");
  var reasonBox = document.getElementById("review-confirm-dialog-reason-box");
  var reason = document.getElementById("review-confirm-dialog-reason");
  var missing = document.getElementById("review-confirm-dialog-reason-missing");
  var yes = document.getElementById("review-confirm-dialog-yes");
  var pending = null;

  function markConfirmed(form) {
    var field = form.querySelector('input[name="_confirm"]');
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "_confirm";
      form.appendChild(field);
    }
    field.value = "yes";
  }

  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (!button || !button.dataset.confirm || event.target.dataset.confirmed === "yes") return;
    event.preventDefault();
    pending = { form: event.target, button: button };
    text.textContent = button.dataset.confirm;
    yes.textContent = button.dataset.confirmLabel || button.textContent || button.value;
    var reasonField = button.dataset.confirmReason ? document.getElementById(button.dataset.confirmReason) : null;
    reasonBox.hidden = !reasonField;
    missing.hidden = true;
    reason.value = reasonField ? reasonField.value : "";
    dialog.returnValue = "";
    dialog.showModal();
    (reasonField ? reason : yes).focus();
  }, true);

  yes.addEventListener("click", function (event) {
    if (!pending) return;
    var reasonField = pending.button.dataset.confirmReason ? document.getElementById(pending.button.dataset.confirmReason) : null;
    if (reasonField) {
      if (!reason.value.trim()) {
        event.preventDefault();
        missing.hidden = false;
        reason.focus();
        return;
      }
      reasonField.value = reason.value;
    }
  });

  dialog.addEventListener("close", function () {
    var chosen = pending;
    pending = null;
    if (!chosen || dialog.returnValue !== "yes") return;
    chosen.form.dataset.confirmed = "yes";
    markConfirmed(chosen.form);
    chosen.form.requestSubmit(chosen.button);
  });
})();
