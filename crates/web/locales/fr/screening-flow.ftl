# A screening: finishing with questions still open, the question list, the person in the header.
staff-done-screening-finished = Le dépistage est terminé ; son résultat figure ci-dessous.
staff-screening-flow-unnamed = Personne sans nom enregistré
staff-screening-flow-questions = Liste des questions
staff-screening-flow-item-answered = { $n } : répondue
staff-screening-flow-item-open = { $n } : sans réponse
staff-screening-flow-finish-title = Terminer le dépistage alors que des questions restent sans réponse ?
staff-screening-flow-open = { $open ->
    [one] { $open } question sur { $total } n’a pas encore de réponse.
   *[other] { $open } questions sur { $total } n’ont pas encore de réponse.
}
staff-screening-flow-finish-why = Un dépistage terminé ne peut plus être modifié. Les questions sans réponse comptent comme inconnues : le résultat peut donc indiquer que les informations sont insuffisantes, et les poser plus tard oblige à commencer un nouveau dépistage. Les réponses données jusqu’ici sont enregistrées.
staff-screening-flow-ask-now = Poser maintenant les questions sans réponse
staff-screening-flow-finish-anyway = Terminer quand même
staff-screening-list-progress = { $answered } sur { $total } répondues
