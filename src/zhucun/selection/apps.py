from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "zhucun.selection"
    verbose_name = "选派管理"

    def ready(self) -> None:
        # Every path that posts a cadre runs the selection checks (issue 10): the postings
        # import is the registry's handler plus them. A registration, not a signal.
        from zhucun.registry.imports import engine

        from .imports import ScreenedPostingsHandler

        engine.HANDLERS["postings"] = ScreenedPostingsHandler
