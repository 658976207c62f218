# Effacement de la personne d'un dossier et conservation légale (issue 19).

erasure-tab = Effacement
erasure-title = Effacement et conservation légale
erasure-hold-title = Conservation légale
erasure-hold-on = Ce dossier est sous conservation légale : personne ne peut effacer la personne tant qu'elle dure.
erasure-hold-off = Ce dossier n'est pas sous conservation légale.
erasure-hold-set = Placer le dossier sous conservation légale
erasure-hold-lift = Lever la conservation légale
erasure-erase-title = Effacer la personne
erasure-erase-intro = L'effacement détruit la clé de chiffrement propre à la personne : son identité, ses documents et fichiers, et le texte libre de ses dossiers ne peuvent plus être lus, ni ici ni dans aucune sauvegarde. Le dossier reste, sans rien qui nomme la personne, pour les statistiques. C'est irréversible.
erasure-reason = Pourquoi la personne est effacée (conservé dans aucun journal)
erasure-confirm = Je comprends que les données de la personne sont effacées définitivement.
erasure-submit = Effacer la personne
erasure-refused-hold = La personne ne peut pas être effacée tant que le dossier est sous conservation légale. Un superviseur doit d'abord la lever.
erasure-supervisors-only = Seul un superviseur de l'organisation du dossier peut effacer la personne.
erasure-erased-on = Les données de cette personne ont été effacées le { $when }.
erasure-erased-name = Personne effacée
staff-problem-legal-hold = ne peut pas être accepté : le dossier est sous conservation légale, qu'un superviseur doit d'abord lever.
staff-problem-supervisor-required = ne peut être donné que par un superviseur de l'organisation du dossier.
staff-field-confirm = Confirmation
staff-field-hold = Conservation légale
