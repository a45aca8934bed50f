"""Root URLconf: admin and login now; each app adds its own include() here."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from gongkai.grid import callback as grid_callback
from gongkai.ops.health import healthz
from gongkai.workbench import views_accounts

urlpatterns = [
    # Public: whether the database answers and the storage folder takes a write (gongkai.ops.health).
    path("healthz", healthz, name="healthz"),
    # The admin signs in, out and changes passwords through the workbench's pages, so that the same
    # throttling, second factor and audit rows apply (gongkai.org.accounts).
    path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("admin/logout/", views_accounts.logout, name="admin_logout"),
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    # Sign-in: login, logout, the second factor, password change and reset (gongkai.workbench.urls_accounts).
    path("accounts/", include("gongkai.workbench.urls_accounts")),
    # The workbench (staff): every URL below requires login and a role.
    # The shell: dashboard (name "dashboard"), calendar pages ("calendar", "calendar_edit").
    path("workbench/", include("gongkai.workbench.urls")),
    path("workbench/publications/", include("gongkai.publications.urls")),
    path("workbench/requests/", include("gongkai.inforequests.urls")),
    path("workbench/appeals/", include("gongkai.appeals.urls")),
    path("workbench/reports/", include("gongkai.reporting.urls")),
    path("workbench/ranking/", include("gongkai.ranking.urls")),
    path("workbench/mailbox/", include("gongkai.engagement.urls")),
    path("workbench/responsiveness/", include("gongkai.responsiveness.urls")),
    path("workbench/delivery/", include("gongkai.delivery.urls")),
    path("workbench/grid/", include("gongkai.grid.urls")),
    # The receivers' signed status callback of forwarded 随手拍 (machine to machine, no session).
    path("grid/callback/<str:receiver>/", grid_callback.status_callback, name="grid_callback"),
    path("workbench/participation/", include("gongkai.participation.urls")),
    # The public portal.
    path("", include("gongkai.portal.urls")),
]

# Chinese error pages in the portal's or the workbench's frame (gongkai.config.errors).
handler400 = "gongkai.config.errors.bad_request"
handler403 = "gongkai.config.errors.permission_denied"
handler404 = "gongkai.config.errors.page_not_found"
handler500 = "gongkai.config.errors.server_error"
