"""The workflow's one announcement: ``transitioned`` is sent after a transition's transaction has committed.

Sent with ``sender`` = the reviewed model, ``event`` = the ``ReviewEvent`` written and ``target`` = the record in its
new state. Receivers (the notifications app) run outside the transaction, so a slow or failing mail server never
undoes or delays a transition, and nobody is told of a transition that was rolled back.
"""

from django.dispatch import Signal

transitioned = Signal()
