# Nommer une entité depuis un document détenu ou un dépistage, retirer un lien, une licence
# modifiée entre-temps, et les agences conjointes et la sanction d'une visite.
links-holder-section = Qui détient le document
links-involved-section = Qui est impliqué : employeur ou recruteur
links-holder-link = Qui le détient : chercher dans le registre
links-involved-link = Qui est impliqué : nommer l'employeur ou le recruteur
links-back-person = Retour à la personne et aux documents
links-back-screening = Retour au dépistage
links-remove = Retirer ce lien
staff-done-links-removed = Le lien est retiré.
links-licence-newer = Quelqu'un a enregistré une licence plus récente entre-temps ; rien de ce que vous avez saisi n'a été enregistré. Enregistré maintenant :
visit-joint = Autres agences présentes
visit-joint-hint = Cochez chaque agence qui a participé. Les services de contrôle de l'immigration ne participent jamais à la visite d'une entité citée dans des plaintes de travailleurs : cela transformerait une plainte en descente.
visit-sanction = Sanction confirmée
visit-sanction-hint = Uniquement une sanction confirmée par l'inspection ou un tribunal. Elle est affichée sur la vérification publique des recruteurs.
visit-sanction-description = Ce qui a été décidé
visit-sanction-authority = Autorité qui a décidé
visit-sanction-decided-on = Date de la décision
