# A screening: finishing with questions still open, the question list, the person in the header.
staff-done-screening-finished = The screening is finished; its result is below.
staff-screening-flow-unnamed = Person with no recorded name
staff-screening-flow-questions = Questions
staff-screening-flow-item-answered = { $n }: answered
staff-screening-flow-item-open = { $n }: open
staff-screening-flow-finish-title = Finish the screening with questions still open?
staff-screening-flow-open = { $open ->
    [one] { $open } of { $total } questions has no answer yet.
   *[other] { $open } of { $total } questions have no answer yet.
}
staff-screening-flow-finish-why = A finished screening cannot be changed. Open questions count as unknown, so the result may say there is not enough information, and asking them later means starting a new screening. The answers given so far are saved.
staff-screening-flow-ask-now = Ask the open questions now
staff-screening-flow-finish-anyway = Finish anyway
staff-screening-list-progress = { $answered } of { $total } answered
