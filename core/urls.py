from django.contrib.auth import views as auth_views
from django.urls import path

from core import views_pages

urlpatterns = [
    path("", views_pages.DashboardView.as_view(), name="dashboard"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("health/", views_pages.healthz, name="health"),
    path("healthz", views_pages.healthz, name="healthz"),
    path("tasks/", views_pages.TaskRunListView.as_view(), name="taskrun_list"),
    path("tasks/<int:pk>/", views_pages.TaskRunDetailView.as_view(), name="taskrun_detail"),
]
