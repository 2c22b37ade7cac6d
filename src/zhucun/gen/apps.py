from django.apps import AppConfig


class GenConfig(AppConfig):
    name = "zhucun.gen"
    verbose_name = "合成数据生成(基准测试)"
