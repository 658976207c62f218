# Ce que la travailleuse sociale fatiguée a demandé (ticket 13) : un seul formulaire pour
# l’évaluation des besoins, un motif pour refuser une demande, une confirmation avant de
# clôturer le dossier d’un enfant, une échéance modifiable, des pièces jointes qui disent ce
# qu’elles sont.

## Évaluation des besoins
staff-feedback-needs-one-form = Remplissez les domaines de votre choix ci-dessous et enregistrez une seule fois. Les domaines que vous ne touchez pas restent tels quels.
staff-feedback-needs-save = Enregistrer l’évaluation
staff-feedback-need-changed = Quelqu’un d’autre a enregistré ce besoin pendant que vous écriviez. Ce que vous avez saisi est toujours là ; ce qu’il a enregistré figure dans le tableau ci-dessus. Enregistrez à nouveau pour le remplacer par votre saisie.
staff-done-feedback-nothing-changed = Rien n’avait changé : rien n’a été enregistré.

## Approbations
staff-feedback-rejection-reason = Motif du refus
staff-feedback-rejection-reason-hint = obligatoire ; la travailleuse sociale le lit dans le dossier
staff-feedback-rejection-reason-needed = Indiquez un motif de refus : la personne qui a fait la demande le lit dans le dossier.
staff-feedback-child-closure-what = Il s’agit du dossier d’un enfant. L’approuver le clôture maintenant, avec le résultat et le motif ci-dessus ; les visites de suivi sont planifiées à partir de la date de clôture.
staff-feedback-child-closure-confirm = Je confirme que le dossier de cet enfant est clôturé maintenant
staff-feedback-confirm-child-closure-needed = L’approbation clôture le dossier d’un enfant : cochez la case pour confirmer, puis approuvez.
staff-feedback-close-rejected = Un superviseur a refusé la clôture de ce dossier :
staff-feedback-close-rejected-by = Refusé par { $by }, { $at }.
staff-done-feedback-rejected = Demande refusée. La travailleuse sociale voit votre motif dans le dossier.
staff-done-feedback-approved = Demande approuvée : le dossier est clôturé.

## Tâches
staff-done-feedback-task-added = Tâche ajoutée.
staff-feedback-due-change = Nouvelle échéance
staff-feedback-due-change-submit = Changer la date
staff-feedback-due-past = Cette échéance est dans le passé. Vérifiez-la, ou confirmez que c’est bien ce que vous voulez.
staff-feedback-due-past-confirm = Oui, l’échéance est dans le passé
staff-done-feedback-due-changed = Échéance modifiée.

## Pièces jointes
staff-feedback-document-type = Type de document
staff-feedback-attachment-description-hint = facultatif ; ce qu’est le document, pour qui le cherchera plus tard
staff-done-feedback-file-attached = Fichier joint.

## Types de document d’une pièce jointe
v-attachment_kind-identity_document = Pièce d’identité
v-attachment_kind-travel_document = Document de voyage
v-attachment_kind-employment_contract = Contrat de travail
v-attachment_kind-payslip = Bulletin de salaire
v-attachment_kind-medical_record = Dossier médical
v-attachment_kind-legal_document = Document juridique
v-attachment_kind-police_report = Rapport de police
v-attachment_kind-photo_evidence = Photo servant de preuve
v-attachment_kind-correspondence = Lettre ou message
v-attachment_kind-other = Autre
