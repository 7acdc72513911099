"""Company, project and member pages."""

app_name = "companies"

urlpatterns: list = []
