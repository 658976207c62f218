# A staff reply's delivery through the messaging gateways (issue 19 item 4).
reply-delivery-queued = En attente d'envoi
reply-delivery-retrying = Pas encore envoyé : { $attempts } tentatives ont échoué, il sera réessayé
reply-delivery-sent = Remis à la passerelle, pas encore confirmé sur le téléphone
reply-delivery-delivered = Délivré
reply-delivery-failed = Non délivré : { $reason }. Joignez la personne par un autre moyen.
reply-delivery-reason-gateway-not-configured = aucune passerelle de messagerie n'est configurée pour ce canal
reply-delivery-reason-number-cannot-receive = le numéro ne peut pas recevoir de SMS
reply-delivery-reason-unsubscribed = la personne a refusé les messages de ce numéro
reply-delivery-reason-refused = la passerelle a refusé le message
reply-delivery-reason-undelivered = le réseau n'a pas pu le délivrer
reply-delivery-reason-gave-up = abandonné après { $attempts } tentatives
