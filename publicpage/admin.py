from django.contrib import admin

from audit.admin import AuditedModelAdmin
from publicpage.models import ComplaintChannel, PublicPage, ServiceStandard


@admin.register(PublicPage)
class PublicPageAdmin(AuditedModelAdmin):
    list_display = ("programme", "published", "updated_at")
    list_filter = ("published",)
    raw_id_fields = ("programme", "pakta_document")


@admin.register(ServiceStandard)
class ServiceStandardAdmin(AuditedModelAdmin):
    list_display = ("service", "programme")
    raw_id_fields = ("programme",)


@admin.register(ComplaintChannel)
class ComplaintChannelAdmin(AuditedModelAdmin):
    list_display = ("name", "contact", "programme")
    raw_id_fields = ("programme",)
