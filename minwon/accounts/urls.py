from django.urls import path

from minwon.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("otp/", views.otp_view, name="otp"),
    path("otp/enroll/", views.otp_enroll_view, name="otp-enroll"),
    path("logout/", views.logout_view, name="logout"),
    path("identity/simulator/", views.identity_simulator_view, name="identity-simulator"),
]
