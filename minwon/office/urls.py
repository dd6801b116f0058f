from django.urls import path

from minwon.office import views

app_name = "office"

urlpatterns = [
    path("", views.home, name="home"),
]
