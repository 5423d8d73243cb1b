from django.urls import path

from . import views

app_name = "vetting"

urlpatterns = [
    path("reviews/", views.review_list, name="review_list"),
]
