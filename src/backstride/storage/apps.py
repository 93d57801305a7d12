from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "backstride.storage"
    label = "backstride"
    verbose_name = "backstride data"
