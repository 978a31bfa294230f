"""Permissions by a label in the reader's language, in the admin's permission pickers (groups and users).

Django stores a permission's name once, in English, when the permission is created ("Can add centre"), and the
admin shows it as stored: a Chinese page listed every permission in English. A default permission (one of the
model's ``Meta.default_permissions``: add, change, delete, view, and this project's import) is named again from its
action and the model, in the active language; any other keeps its stored name. A model is named by its verbose
name, except where that is fixed English: django-simple-history's historical models ("historical …", made once in
the language of the first import) are named as the history of the model they record, a many-to-many field's own
table after the field, and knox's token model, whose name is its class name, by ``OWN_NAMES``.
"""

from django.utils.translation import gettext_lazy

ACTIONS = {
    "add": gettext_lazy("Can add %(thing)s"),
    "change": gettext_lazy("Can change %(thing)s"),
    "delete": gettext_lazy("Can delete %(thing)s"),
    "view": gettext_lazy("Can view %(thing)s"),
    "import": gettext_lazy("Can import %(thing)s"),
}
OWN_NAMES = {"knox.authtoken": gettext_lazy("API token (django-rest-knox)")}
HISTORY_OF = gettext_lazy("history of %(thing)s")
LINKS_OF = gettext_lazy("%(model)s: %(field)s")


def model_name(model) -> str:
    recorded = getattr(model, "instance_type", None)  # a django-simple-history model: the model it records
    if recorded is not None and model.__name__.startswith("Historical"):
        return HISTORY_OF % {"thing": model_name(recorded)}
    owner = model._meta.auto_created  # a many-to-many field's own table: named after the field
    if owner:
        field = next(field for field in owner._meta.many_to_many if field.remote_field.through is model)
        return LINKS_OF % {"model": owner._meta.verbose_name, "field": field.verbose_name}
    return str(OWN_NAMES.get(model._meta.label_lower, model._meta.verbose_name))


def permission_label(permission) -> str:
    """``"<app> | <model> | <what it allows>"``, as Django's own ``str``, in the active language."""
    model = permission.content_type.model_class()
    if model is None:
        return str(permission)
    action, _sep, codename_model = permission.codename.partition("_")
    thing = model_name(model)
    if codename_model == model._meta.model_name and action in model._meta.default_permissions and action in ACTIONS:
        name = ACTIONS[action] % {"thing": thing}
    else:
        name = permission.name
    return f"{model._meta.app_config.verbose_name} | {thing} | {name}"
