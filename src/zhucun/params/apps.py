from django.apps import AppConfig


class ParamsConfig(AppConfig):
    name = "zhucun.params"
    verbose_name = "政策参数"

    def ready(self) -> None:
        # A malformed parameter file stops the system at start-up, naming the entry and the
        # problem (ParameterFileError), instead of failing later in the middle of a request.
        from .selectors import base_parameters

        base_parameters()
        # the import template's hint quotes the age limit in force (SEL.SRC.AGE)
        from zhucun.registry.imports.columns import DYNAMIC_HELP

        from .selectors import age_note_help

        DYNAMIC_HELP["age_exception_note"] = age_note_help
