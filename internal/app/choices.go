package app

import (
	"context"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Choices returns the values of a choice list in their order; activeOnly drops deactivated
// ones (pickers), lists and cards keep them so that stored codes still show a label.
func (a *App) Choices(ctx context.Context, list crm.ChoiceList, activeOnly bool) ([]crm.ChoiceValue, error) {
	if _, err := readList(ctx, crm.EntityChoice, false); err != nil {
		return nil, err
	}
	f := crm.ChoiceFilter{List: list}
	if activeOnly {
		yes := true
		f.Active = &yes
	}
	return a.store.ListChoices(ctx, f)
}

// checkChoice refuses a code that is not an active value of the list (422 naming field);
// an unchanged stored code passes even if deactivated since (R7's "stored values stay").
func checkChoice(ctx context.Context, r crm.Repo, list crm.ChoiceList, field, code, stored string) error {
	if code == "" || code == stored {
		return nil
	}
	vals, err := r.ListChoices(ctx, crm.ChoiceFilter{List: list})
	if err != nil {
		return err
	}
	for _, v := range vals {
		if v.Code == code && v.Active && !v.Deleted() {
			return nil
		}
	}
	return &crm.Error{Code: crm.EInvalid, Message: "err.validation", Fields: map[string]string{field: "err.choice"}}
}
