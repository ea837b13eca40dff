package demo_test

import (
	"context"
	"testing"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/demo"
	"github.com/ladder-crm/ladder/internal/store/storetest"
)

// The small demo makes a sales picture through the use cases: the counts the issue asks for,
// valid INNs, deals on every kind of stage, contracts with payments, tasks of demo users.
func TestFillMakesASalesPicture(t *testing.T) {
	app.SetPasswordCostForTests()
	a := app.New(storetest.Open(t, storetest.NewSQLiteURL(t)), nil)
	ctx := context.Background()
	sum, err := demo.Fill(ctx, a, "small")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", sum)
	if sum.Companies != 60 || sum.Contacts != 150 || sum.Deals != 80 || sum.Tasks != 30 || sum.Contracts < 10 || sum.Payments == 0 {
		t.Fatalf("summary: %+v", sum)
	}
	sys := app.WithActor(ctx, app.System)
	companies, err := a.ListCompanies(sys, crm.CompanyFilter{Page: crm.PageRequest{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range companies.Items {
		if !crm.ValidINN(c.INN) || c.Region == "" || len(c.Phones) == 0 || c.Phones[0].E164 == "" {
			t.Errorf("company %q: INN %q region %q phones %+v", c.Name, c.INN, c.Region, c.Phones)
		}
	}
	status := map[crm.DealStatus]int{}
	deals, err := a.ListDeals(sys, crm.DealFilter{Page: crm.PageRequest{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range deals.Items {
		status[d.Status]++
		if d.Status == crm.DealLost && d.LossReason == "" {
			t.Errorf("lost deal %q without a reason", d.Name)
		}
	}
	if status[crm.DealOpen] == 0 || status[crm.DealWon] == 0 || status[crm.DealLost] == 0 {
		t.Fatalf("deal statuses: %v", status)
	}
	// The demo's people are findable by the search box, lower-case.
	hits, err := a.Search(sys, "иван", 5)
	if err != nil || len(hits) == 0 {
		t.Fatalf("search иван: %+v %v", hits, err)
	}
}

// The large size writes its counts through the bulk writes; a smaller size keeps the test fast.
func TestFillLargeSmallerSize(t *testing.T) {
	app.SetPasswordCostForTests()
	for _, k := range storetest.Kinds {
		t.Run(k.Name, func(t *testing.T) {
			db := storetest.Open(t, k.URL(t))
			a := app.New(db, nil)
			ctx := context.Background()
			var calls, last int
			size := demo.LargeSize{Companies: 1200, Contacts: 6000, Deals: 1800}
			sum, err := demo.FillWith(ctx, a, "large", demo.Options{Large: &size, Progress: func(done, total int) {
				calls++
				last = done
				if total != size.Companies {
					t.Errorf("progress total %d", total)
				}
			}})
			if err != nil {
				t.Fatal(err)
			}
			if calls != 2 || last != size.Companies {
				t.Fatalf("progress: %d calls, last %d", calls, last)
			}
			if sum.Companies != 60+size.Companies || sum.Contacts != 150+size.Contacts || sum.Deals != 80+size.Deals {
				t.Fatalf("summary: %+v", sum)
			}
			var n int
			for table, want := range map[string]int{"companies": sum.Companies, "contacts": sum.Contacts, "deals": sum.Deals} {
				if err := db.Writer().QueryRowContext(ctx, "SELECT COUNT(*) FROM "+table).Scan(&n); err != nil || n != want {
					t.Errorf("%s: %d rows (%v), want %d", table, n, err, want)
				}
			}
			var bad int
			rows, err := db.Writer().QueryContext(ctx, "SELECT inn FROM companies")
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for rows.Next() {
				var inn string
				if err := rows.Scan(&inn); err != nil {
					t.Fatal(err)
				}
				if !crm.ValidINN(inn) || seen[inn] {
					bad++
				}
				seen[inn] = true
			}
			rows.Close()
			if bad > 0 {
				t.Fatalf("%d invalid or repeated INNs", bad)
			}
			sys := app.WithActor(ctx, app.System)
			hits, err := a.Search(sys, "смирнова", 5)
			if err != nil || len(hits) == 0 {
				t.Fatalf("search in the large data: %+v %v", hits, err)
			}
		})
	}
}
