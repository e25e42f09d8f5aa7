from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("Nền tảng")

    def ready(self) -> None:
        from core import labels, security, validators  # noqa: F401  (security connects a receiver)

        validators.install()
        labels.relabel()

        _guard_admin_autocomplete()


def _guard_admin_autocomplete() -> None:
    """Django admin's autocomplete widget re-renders a refused form by looking up the submitted value
    in the database as it is: "²" or "abc" for an integer key raises ValueError, a 500 instead of the
    form's own error. Drop values the target field cannot hold before that lookup."""
    from django.contrib.admin.widgets import AutocompleteMixin
    from django.core.exceptions import ValidationError

    original = AutocompleteMixin.optgroups
    if getattr(original, "kc_guarded", False):
        return

    def optgroups(self: AutocompleteMixin, name: str, value: list, attr: dict | None = None) -> list:
        remote = self.field.remote_field
        opts = remote.model._meta
        target = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
        kept = []
        for item in value:
            try:
                target.to_python(item)
            except (ValidationError, ValueError, TypeError):
                continue
            kept.append(item)
        return original(self, name, kept, attr)

    # Marking and patching Django's admin widget on purpose (it has no hook for this).
    optgroups.kc_guarded = True  # type: ignore[attr-defined]
    # The patched method replaces the class's own (see the marker above).
    AutocompleteMixin.optgroups = optgroups  # type: ignore[method-assign, assignment]
