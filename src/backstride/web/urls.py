from django.urls import path

from . import views, views_activities, views_diary, views_exercises, views_plan, views_shoes

urlpatterns = [
    path("", views.home, name="home"),
    path("check/", views.check_intro, name="check_intro"),
    path("check/question/", views.check_question, name="check_question"),
    path("checks/<int:check_id>/", views.check_result, name="check_result"),
    path("history/", views.history, name="history"),
    path("rmdq/", views.rmdq_form, name="rmdq"),
    path("settings/", views.settings_page, name="settings"),
    path("sources/", views.sources_page, name="sources"),
    path("today/", views_diary.dashboard, name="dashboard"),
    path("diary/", views_diary.check_in, name="check_in"),
    path("shoes/", views_shoes.shoes_page, name="shoes"),
    path("exercises/", views_exercises.exercise_list, name="exercises"),
    path("plan/", views_plan.plan_page, name="plan"),
    path("plan/done/", views_plan.plan_done, name="plan_done"),
    path("plan.ics", views_plan.plan_ics, name="plan_ics"),
    path("exercises/<slug:exercise_id>/", views_exercises.exercise_detail, name="exercise"),
    path("activities/", views_activities.activity_list, name="activities"),
    path("activities/upload/", views_activities.upload, name="upload"),
    path("activities/new-run/", views_activities.new_run, name="new_run"),
    path("activities/<int:activity_id>/rpe/", views_activities.activity_rpe, name="activity_rpe"),
    path("activities/<int:activity_id>/delete/", views_activities.activity_delete, name="activity_delete"),
    path("activities/<int:activity_id>/edit/", views_activities.new_run, name="edit_run"),
    path("activities/<int:activity_id>/shoe/", views_activities.activity_shoe, name="activity_shoe"),
    path("diary/delete/", views_diary.delete_day, name="delete_day"),
    path("activities/<int:activity_id>/", views_activities.activity_detail, name="activity"),
    path("imports/<int:job_id>/", views_activities.import_job, name="import_job"),
]
