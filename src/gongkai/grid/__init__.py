"""随手拍 (the 微网格's snapshot reports): a resident's photo of a problem in the street, with its place,
forwarded through the outbox to the district grid platform and the 96010 hotline as signed webhooks."""
