from django.contrib import admin

from gongjian.audit.admin_audit import AuditedModelAdmin
from gongjian.orgs.models import Region, Resource, Tag

# Organizations and people are changed through the platform's own pages, whose services
# keep the tree paths; the admin manages only the open vocabularies and regions.
admin.site.register(Tag, AuditedModelAdmin)
admin.site.register(Resource, AuditedModelAdmin)
admin.site.register(Region, AuditedModelAdmin)
