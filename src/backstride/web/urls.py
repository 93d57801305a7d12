from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("check/", views.check_intro, name="check_intro"),
    path("check/question/", views.check_question, name="check_question"),
    path("checks/<int:check_id>/", views.check_result, name="check_result"),
    path("history/", views.history, name="history"),
    path("rmdq/", views.rmdq_form, name="rmdq"),
    path("settings/", views.settings_page, name="settings"),
    path("sources/", views.sources_page, name="sources"),
]
