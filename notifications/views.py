"""The notifications pages: the list (GET), marking read and the e-mail preference (POST, through the services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import services
from .selectors import notifications_for, sends_email, unread_count

PAGE_SIZE = 100


@login_required
@require_http_methods(["GET", "HEAD"])
def notification_list(request):
    notifications = list(notifications_for(request.user)[:PAGE_SIZE])
    context = {
        "notifications": notifications,
        "unread": unread_count(request.user),
        "send_email": sends_email(request.user),
        "has_email": bool(request.user.email),
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def read(request, pk):
    """Mark one read and open what it is about."""
    try:
        notification = services.mark_read(request.user, pk)
    except services.NotFound as missing:
        raise Http404(str(missing)) from missing
    target = notification.link
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("notifications:list")
    return HttpResponseRedirect(target)


@login_required
@require_POST
def read_all(request):
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)s notifications marked read.") % {"count": count})
    return HttpResponseRedirect(reverse("notifications:list"))


@login_required
@require_POST
def preferences(request):
    send_email = request.POST.get("send_email") == "on"
    services.set_email_preference(request.user, send_email)
    if send_email:
        messages.success(request, _("Notifications will also be sent to you by e-mail."))
    else:
        messages.success(request, _("Notifications will no longer be sent to you by e-mail."))
    return HttpResponseRedirect(reverse("notifications:list"))
