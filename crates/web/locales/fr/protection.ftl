# Besoins de protection internationale (ticket 14, point 5) : une personne qui demande l'asile,
# est réfugiée ou craint le retour n'est jamais orientée ni montrée à un consulat ou à une autre
# autorité du pays qu'elle a fui.

staff-protection-title = Protection internationale
staff-protection-what = Une personne qui demande l'asile, est réfugiée ou craint le retour n'est jamais partagée, orientée ni transférée vers un consulat, un ministère, la police ou une autre autorité des pays indiqués ici. Enregistrer un besoin met fin aussitôt à tout partage de ce type.
staff-protection-mark = Besoins de protection internationale : ne pas partager avec les autorités de { $countries }
staff-protection-mark-why = Passage refuse tout partage, orientation ou transfert de ce dossier vers un consulat ou une autre autorité de ces pays.
staff-protection-see = Voir les besoins de protection
staff-protection-none = Aucun besoin de protection internationale n'est enregistré.
staff-protection-open = Enregistrer ou voir les besoins de protection internationale
staff-protection-record = Enregistrer un besoin de protection
staff-protection-kind = Nature du besoin
staff-protection-choose = Choisissez
staff-protection-countries = Pays fuis ou redoutés
staff-protection-countries-hint = un ou plusieurs
staff-protection-reason = Motif
staff-protection-reason-hint = obligatoire ; seule votre organisation le lit
staff-protection-submit = Enregistrer le besoin
staff-protection-owner-records = Seule l'organisation qui détient ce dossier enregistre les besoins de protection.
staff-field-kind = Nature du besoin
staff-field-countries = Pays

v-protection_kind-asylum_seeker = Demandeur ou demandeuse d'asile
v-protection_kind-refugee = Réfugié ou réfugiée
v-protection_kind-fear_of_return = Craint le retour
