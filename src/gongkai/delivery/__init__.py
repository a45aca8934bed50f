"""Delivery (送达): notices from the outbox to applicants (e-mail, SMS, post) and to staff.

Two stages keep the case services untouched. The services queue *events* (``inforequest.reply_issued``,
``publication.review_requested`` …) in their own transaction; ``gongkai tick`` expands each event into
concrete deliveries — one outbox message per recipient and channel, each with a deterministic
idempotency key, so expanding twice queues nothing new — and then delivers them (``send``). A delivery
that reaches an applicant is recorded on the case as a ``ServiceRecord`` (送达记录): its time and channel
matter in law.
"""
