# A staff reply's delivery through the messaging gateways (issue 19 item 4).
reply-delivery-queued = Waiting to be sent
reply-delivery-retrying = Not sent yet: { $attempts } attempts failed, it will be tried again
reply-delivery-sent = Sent to the gateway, not yet confirmed on the phone
reply-delivery-delivered = Delivered
reply-delivery-failed = Not delivered: { $reason }. Reach the reporter another way.
reply-delivery-reason-gateway-not-configured = no messaging gateway is configured for this channel
reply-delivery-reason-number-cannot-receive = the number cannot receive SMS
reply-delivery-reason-unsubscribed = the person has stopped messages from this number
reply-delivery-reason-refused = the gateway refused the message
reply-delivery-reason-undelivered = the network could not deliver it
reply-delivery-reason-gave-up = given up after { $attempts } attempts
