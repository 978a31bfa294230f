"""The review app's API routes: the transition log and the officers' region assignments."""

from .api import ReviewEventViewSet
from .assignment_api import RegionAssignmentViewSet

routes = [
    ("review-events", ReviewEventViewSet, "review-event"),
    ("region-assignments", RegionAssignmentViewSet, "region-assignment"),
]
