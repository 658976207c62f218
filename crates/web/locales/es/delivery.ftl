# A staff reply's delivery through the messaging gateways (issue 19 item 4).
reply-delivery-queued = Pendiente de envío
reply-delivery-retrying = Aún no enviado: fallaron { $attempts } intentos, se volverá a intentar
reply-delivery-sent = Entregado a la pasarela, aún sin confirmar en el teléfono
reply-delivery-delivered = Entregado
reply-delivery-failed = No entregado: { $reason }. Contacte a la persona por otro medio.
reply-delivery-reason-gateway-not-configured = no hay ninguna pasarela de mensajería configurada para este canal
reply-delivery-reason-number-cannot-receive = el número no puede recibir SMS
reply-delivery-reason-unsubscribed = la persona bloqueó los mensajes de este número
reply-delivery-reason-refused = la pasarela rechazó el mensaje
reply-delivery-reason-undelivered = la red no pudo entregarlo
reply-delivery-reason-gave-up = abandonado después de { $attempts } intentos
