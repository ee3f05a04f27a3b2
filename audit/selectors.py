from django.db import models
from django.db.models import QuerySet

from audit.models import AuditEntry


def audit_history_for(obj: models.Model) -> QuerySet[AuditEntry]:
    """Entries about one object, newest first."""
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
