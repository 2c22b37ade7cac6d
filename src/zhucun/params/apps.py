from django.apps import AppConfig


class ParamsConfig(AppConfig):
    name = "zhucun.params"
    verbose_name = "政策参数"

    def ready(self) -> None:
        # A malformed parameter file stops the system at start-up, naming the entry and the
        # problem (ParameterFileError), instead of failing later in the middle of a request.
        from .selectors import base_parameters

        base_parameters()
