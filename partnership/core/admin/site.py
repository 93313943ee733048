"""The admin site's names, as editors see them in its header and tab titles."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from partnership.core.security import SignInForm

admin.site.site_header = "Partnership Tracker"
admin.site.site_title = _("Partnership Tracker admin")
admin.site.index_title = _("Keep the partnership record")
# Sign-in says how many attempts are left before the account is locked at this address.
admin.site.login_form = SignInForm
# The index says first what waits for the user's review (`reviews.review_summary`).
admin.site.index_template = "admin/partnership/index.html"
