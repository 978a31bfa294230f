"""The admin's form for one appendix figure: it carries the version it was opened at and shows every refusal of
``services.save_figure`` (stale, duplicate, a rule of ``rules.py``) on the form, before anything is written."""

from django import forms

from . import services


class FigureForm(forms.ModelForm):
    """A figures row edited on its own. The checks are the service's (``services.figure_problems``); the form only
    runs them early so that their messages appear at the top of the form."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = services.figure_version(self.instance)

    def clean(self):
        cleaned = super().clean()
        stale = services.stale_refusal(self.instance, cleaned.get("version")) if self.instance.pk else None
        if stale:
            raise forms.ValidationError(stale)
        return cleaned

    def _post_clean(self):
        """After the values are on the instance: the import's rules against the stored rows."""
        super()._post_clean()
        if not self.errors:
            for message in services.figure_problems(self.instance):
                self.add_error(None, message)
