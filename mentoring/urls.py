app_name = "mentoring"

urlpatterns: list = []
