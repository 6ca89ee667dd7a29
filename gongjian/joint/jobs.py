"""The joint organizations' import, registered with the jobs (:mod:`gongjian.jobs.work`)
from :class:`gongjian.joint.apps.JointConfig`."""

from __future__ import annotations

from gongjian.jobs.work import register_importer
from gongjian.joint.tables import joint_import

register_importer("joint", joint_import, page="joint:list")
