# Les pages publiques sur les droits : par pays, étape du parcours migratoire et langue.
rights-title = Connaître vos droits
rights-intro = Des informations en langage simple sur vos droits, à chaque étape de votre parcours, et sur les endroits où trouver de l'aide. Choisissez un pays et une étape.
rights-country = Pays
rights-stage = Étape de votre parcours
rights-show = Afficher
rights-stage-pre_departure = Avant le départ
rights-stage-transit = Pendant le trajet
rights-stage-destination = Dans le pays où vous vivez ou travaillez
rights-stage-return = Au retour
rights-not-found = Il n'y a pas d'informations pour ce choix. Choisissez un pays et une étape dans les listes.
rights-helplines = Lignes d'assistance et numéros d'urgence
rights-emergency = Urgence
rights-services-link = Trouver un service qui peut vous aider
rights-report-link = Signaler un problème, en sécurité et sans donner votre nom
rights-fallback = Cette page n'est pas encore écrite en { $language }. La voici en anglais.
rights-reviewed = Dernière vérification : { $date }
rights-where = Des informations existent pour
