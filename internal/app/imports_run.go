package app

import (
	"context"
	"errors"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/importer"
)

// importRun works the rows of one job as one actor, with what it looked up once (users,
// choice lists, topics) kept for the next batch.
type importRun struct {
	a       *App
	job     *crm.ImportJob
	act     *Actor
	users   map[string]*int64 // responsible text → user id; nil = unknown
	choices map[crm.ChoiceList][]crm.ChoiceValue
	topics  []crm.Topic
	loaded  bool
	// perRow writes records one by one instead of in one multi-row insert: after the
	// database refused a batch, so that the row it refused can be found.
	perRow bool
}

func newImportRun(a *App, j *crm.ImportJob, act *Actor) *importRun {
	return &importRun{a: a, job: j, act: act, users: map[string]*int64{}, choices: map[crm.ChoiceList][]crm.ChoiceValue{}}
}

// resetCaches forgets lookups made in a transaction that rolled back.
func (ir *importRun) resetCaches() {
	ir.users, ir.choices, ir.topics, ir.loaded = map[string]*int64{}, map[crm.ChoiceList][]crm.ChoiceValue{}, nil, false
}

// rowPlan is the outcome of one row, and for the preview why.
type rowPlan struct {
	row      crm.ImportRow
	match    string
	problems map[string]string
}

// plan decides, and with write also does, what happens to each row of a batch: looked-up
// references, validation, dedup by key (one query for the batch), then creates in one bulk
// insert per entity, or updates of matched records in update mode.
func (ir *importRun) plan(ctx context.Context, r crm.Repo, batch []fileRow, forced map[int64]map[string]string, write bool) ([]rowPlan, error) {
	j := ir.job
	plans := make([]rowPlan, len(batch))
	recs := make([]*importer.Record, len(batch))
	if len(batch) == 0 {
		return plans, nil
	}
	prior, err := r.PriorImportRows(ctx, j.Entity, j.FileSHA256, j.ID, batch[0].no, batch[len(batch)-1].no)
	if err != nil {
		return nil, err
	}
	var keys, companyKeys []string
	for i, fr := range batch {
		plans[i].row = crm.ImportRow{JobID: j.ID, RowNo: fr.no}
		if fr.rowErr != "" {
			continue
		}
		if _, done := prior[fr.no]; done {
			continue
		}
		rec := importer.Convert(j.Entity, j.Mapping, fr.no, fr.cells)
		recs[i] = rec
		if j.Dedup != crm.DedupCreate {
			keys = append(keys, rec.Keys...)
		}
		if rec.Refs.CompanyINN != "" {
			companyKeys = append(companyKeys, "inn:"+rec.Refs.CompanyINN)
		}
		if rec.Refs.Company != "" {
			companyKeys = append(companyKeys, "name:"+rec.Refs.Company)
		}
	}
	matches, err := r.ImportMatches(ctx, j.Entity, keys)
	if err != nil {
		return nil, err
	}
	companies := map[string][]int64{}
	if len(companyKeys) > 0 {
		if companies, err = r.ImportMatches(ctx, crm.EntityCompany, companyKeys); err != nil {
			return nil, err
		}
	}
	if err := ir.load(ctx, r); err != nil {
		return nil, err
	}
	local := map[string]int{} // keys of rows of this batch to be created → their index
	dupOf := map[int]int{}    // row index → index of the earlier row of this batch it repeats
	var creates []int         // indexes of rows to create
	for i, fr := range batch {
		p := &plans[i]
		switch {
		case fr.rowErr != "":
			p.problems = map[string]string{"row": fr.rowErr}
		case prior[fr.no] != 0:
			id := prior[fr.no]
			p.row.Outcome, p.row.RecordID, p.row.Message, p.match = crm.RowDuplicate, &id, "file", "file"
			continue
		case forced[fr.no] != nil:
			p.problems = forced[fr.no]
		default:
			p.problems = ir.prepare(ctx, r, recs[i], companies)
		}
		if len(p.problems) > 0 {
			p.row.Outcome, p.row.Message = crm.RowError, problemsJSON(p.problems)
			continue
		}
		rec := recs[i]
		if j.Dedup != crm.DedupCreate {
			if idx, key, found := findLocal(rec.Keys, local); found {
				// A repeat of a row created in this batch: a duplicate whatever the mode
				// (its record gets its id with the insert below).
				p.row.Outcome, p.row.Message, p.match = crm.RowDuplicate, key, key
				dupOf[i] = idx
				continue
			}
			if id, key, found := findMatch(rec.Keys, matches); found {
				p.match = key
				if j.Dedup == crm.DedupSkip {
					p.row.Outcome, p.row.Message, p.row.RecordID = crm.RowDuplicate, key, &id
					continue
				}
				p.row.RecordID = &id
				outcome, err := ir.update(ctx, r, id, rec, write)
				if err != nil {
					return nil, err
				}
				p.row.Outcome, p.row.Message = outcome, key
				if outcome == crm.RowError {
					p.row.Message = problemsJSON(map[string]string{"row": "import.err.no_permission"})
					p.problems = map[string]string{"row": "import.err.no_permission"}
				}
				continue
			}
			for _, k := range rec.Keys {
				local[k] = i
			}
		}
		p.row.Outcome = crm.RowCreated
		creates = append(creates, i)
	}
	if !write || len(creates) == 0 {
		return plans, nil
	}
	if err := ir.create(ctx, r, recs, creates); err != nil {
		var rf *rowFailure
		if errors.As(err, &rf) {
			return nil, err
		}
		if crm.ErrorCode(err) == crm.EInvalid && !ir.perRow {
			// The bulk insert does not say which row it choked on: find it row by row.
			ir.perRow = true
			return nil, &rowFailure{row: -1}
		}
		return nil, err
	}
	for _, i := range creates {
		id := recordID(recs[i])
		plans[i].row.RecordID = &id
	}
	for i, idx := range dupOf {
		id := recordID(recs[idx])
		plans[i].row.RecordID = &id
	}
	return plans, nil
}

// findLocal looks a row's keys up among the rows of its batch to be created.
func findLocal(keys []string, local map[string]int) (int, string, bool) {
	for _, k := range keys {
		if idx, ok := local[k]; ok {
			return idx, kindOf(k), true
		}
	}
	return 0, "", false
}

// findMatch looks a row's keys up among the existing records.
func findMatch(keys []string, matches map[string][]int64) (int64, string, bool) {
	for _, k := range keys {
		if ids := matches[k]; len(ids) > 0 {
			return ids[0], kindOf(k), true
		}
	}
	return 0, "", false
}

func kindOf(key string) string {
	kind, _, _ := strings.Cut(key, ":")
	return kind
}

func recordID(rec *importer.Record) int64 {
	switch {
	case rec.Company != nil:
		return rec.Company.ID
	case rec.Contact != nil:
		return rec.Contact.ID
	case rec.Deal != nil:
		return rec.Deal.ID
	}
	return 0
}

// load reads the choice lists and topics once per run.
func (ir *importRun) load(ctx context.Context, r crm.Repo) error {
	if ir.loaded {
		return nil
	}
	for _, l := range []crm.ChoiceList{crm.ListCompanyType, crm.ListIndustry, crm.ListContactType, crm.ListContactRole, crm.ListDealType} {
		vals, err := r.ListChoices(ctx, crm.ChoiceFilter{List: l})
		if err != nil {
			return err
		}
		ir.choices[l] = vals
	}
	if ir.job.Entity == crm.EntityDeal {
		yes := true
		// The default order is the admin's: with no topic column a deal goes to the first.
		page, err := r.ListTopics(ctx, crm.TopicFilter{Active: &yes, Page: crm.PageRequest{Limit: crm.MaxPageSize}})
		if err != nil {
			return err
		}
		ir.topics = page.Items
	}
	ir.loaded = true
	return nil
}

// prepare resolves a record's references and runs the entity's own checks; it returns the
// row's problems by field.
func (ir *importRun) prepare(ctx context.Context, r crm.Repo, rec *importer.Record, companies map[string][]int64) map[string]string {
	p := crm.Problems{}
	for f, k := range rec.Problems {
		p.Add(f, k)
	}
	responsible := ir.act.userID()
	if rec.Refs.Responsible != "" {
		id, err := ir.user(ctx, r, rec.Refs.Responsible)
		if err != nil || id == nil {
			p.Add("responsible", "import.err.user_unknown")
		}
		responsible = id
	}
	dir := ir.job.DirectorateID
	choice := func(list crm.ChoiceList, field string, dst *string) {
		text := rec.Refs.Choices[field]
		if text == "" {
			return
		}
		code, ok := ir.choiceCode(list, text)
		if !ok {
			p.Add(field, "err.choice")
		}
		*dst = code
	}
	var companyID *int64
	if rec.Refs.CompanyINN != "" || rec.Refs.Company != "" {
		ids := companies["inn:"+rec.Refs.CompanyINN]
		if rec.Refs.CompanyINN == "" {
			ids = companies["name:"+rec.Refs.Company]
		}
		switch {
		case len(ids) == 0:
			p.Add(firstNonEmpty(rec.Refs.CompanyINN, "company_inn", "company"), "import.err.company_unknown")
		case len(ids) > 1:
			p.Add(firstNonEmpty(rec.Refs.CompanyINN, "company_inn", "company"), "import.err.company_ambiguous")
		default:
			id := ids[0]
			companyID = &id
		}
	}
	var err error
	switch {
	case rec.Company != nil:
		c := rec.Company
		choice(crm.ListCompanyType, "type", &c.Type)
		choice(crm.ListIndustry, "industry", &c.Industry)
		c.ResponsibleID, c.DirectorateID, c.CreatedBy, c.UpdatedBy = responsible, dir, ir.act.userID(), ir.act.userID()
		c.Normalise()
		err = c.Validate()
	case rec.Contact != nil:
		c := rec.Contact
		choice(crm.ListContactType, "type", &c.Type)
		choice(crm.ListContactRole, "role", &c.Role)
		c.CompanyID = companyID
		c.ResponsibleID, c.DirectorateID, c.CreatedBy, c.UpdatedBy = responsible, dir, ir.act.userID(), ir.act.userID()
		c.Normalise()
		err = c.Validate()
	case rec.Deal != nil:
		d := rec.Deal
		choice(crm.ListDealType, "type", &d.Type)
		d.CompanyID = companyID
		d.ResponsibleID, d.DirectorateID, d.CreatedBy, d.UpdatedBy = responsible, dir, ir.act.userID(), ir.act.userID()
		if t, st, key := ir.stage(rec.Refs.Topic, rec.Refs.Stage); key != "" {
			p.Add(map[bool]string{true: "stage", false: "topic"}[t != nil], key)
		} else {
			d.TopicID = t.ID
			if err := enterStage(d, st, "", ir.a.now()); err != nil {
				p.Add("stage", firstProblem(err, "err.choice"))
			}
		}
		d.Normalise()
		err = d.Validate()
	}
	for f, k := range crm.ErrorFields(err) {
		p.Add(f, k)
	}
	if err != nil && crm.ErrorCode(err) != crm.EInvalid {
		p.Add("row", "err.validation")
	}
	return p
}

func firstNonEmpty(v, ifSet, otherwise string) string {
	if v != "" {
		return ifSet
	}
	return otherwise
}

func firstProblem(err error, fallback string) string {
	for _, k := range crm.ErrorFields(err) {
		return k
	}
	return fallback
}

// user finds a user by login or e-mail (what an export of another CRM names people by).
func (ir *importRun) user(ctx context.Context, r crm.Repo, text string) (*int64, error) {
	key := strings.ToLower(strings.TrimSpace(text))
	if id, ok := ir.users[key]; ok {
		return id, nil
	}
	u, err := r.UserByLogin(ctx, key)
	switch {
	case isNotFound(err):
		ir.users[key] = nil
		return nil, nil
	case err != nil:
		return nil, err
	}
	var id *int64
	if u.Active && !u.Deleted() {
		x := u.ID
		id = &x
	}
	ir.users[key] = id
	return id, nil
}

// choiceCode accepts a value's code or its label in either language, case-insensitive;
// deactivated values are refused as in the forms.
func (ir *importRun) choiceCode(list crm.ChoiceList, text string) (string, bool) {
	t := strings.ToLower(strings.TrimSpace(text))
	for _, v := range ir.choices[list] {
		if !v.Active || v.Deleted() {
			continue
		}
		if strings.ToLower(v.Code) == t || strings.ToLower(v.LabelRU) == t || strings.ToLower(v.LabelEN) == t {
			return v.Code, true
		}
	}
	return "", false
}

// stage finds the topic (by name in either language; the first active topic when the file has
// none) and the stage in it (by name; the first open stage when none). key names the problem.
func (ir *importRun) stage(topicName, stageName string) (*crm.Topic, *crm.Stage, string) {
	var t *crm.Topic
	for i := range ir.topics {
		x := &ir.topics[i]
		if topicName == "" || strings.EqualFold(x.Name, topicName) || strings.EqualFold(x.NameEN, topicName) {
			t = x
			break
		}
	}
	if t == nil {
		return nil, nil, "import.err.topic_unknown"
	}
	if stageName == "" {
		st, err := pickStage(t, 0)
		if err != nil {
			return t, nil, "import.err.stage_unknown"
		}
		return t, st, ""
	}
	for i := range t.Stages {
		st := &t.Stages[i]
		if strings.EqualFold(st.NameRU, stageName) || strings.EqualFold(st.NameEN, stageName) {
			return t, st, ""
		}
	}
	return t, nil, "import.err.stage_unknown"
}

// create inserts the batch's new records: one multi-row insert per batch, or one by one
// after the database refused a batch (then a refused row becomes that row's error).
func (ir *importRun) create(ctx context.Context, r crm.Repo, recs []*importer.Record, idx []int) error {
	if !ir.perRow {
		switch ir.job.Entity {
		case crm.EntityCompany:
			cs := make([]*crm.Company, len(idx))
			for n, i := range idx {
				cs[n] = recs[i].Company
			}
			return r.BulkCreateCompanies(ctx, cs)
		case crm.EntityContact:
			cs := make([]*crm.Contact, len(idx))
			for n, i := range idx {
				cs[n] = recs[i].Contact
			}
			return r.BulkCreateContacts(ctx, cs)
		case crm.EntityDeal:
			ds := make([]*crm.Deal, len(idx))
			for n, i := range idx {
				ds[n] = recs[i].Deal
			}
			return r.BulkCreateDeals(ctx, ds)
		}
	}
	for _, i := range idx {
		rec := recs[i]
		var err error
		switch {
		case rec.Company != nil:
			err = r.CreateCompany(ctx, rec.Company)
		case rec.Contact != nil:
			err = r.CreateContact(ctx, rec.Contact)
		case rec.Deal != nil:
			err = r.CreateDeal(ctx, rec.Deal)
		}
		if err != nil {
			return refused(rec, err)
		}
	}
	return nil
}

// refused turns the database's refusal of one row's values into that row's failure; other
// errors pass as they are.
func refused(rec *importer.Record, err error) error {
	if crm.ErrorCode(err) != crm.EInvalid {
		return err
	}
	fields := crm.ErrorFields(err)
	if len(fields) == 0 {
		fields = map[string]string{"row": "err.validation"}
	}
	return &rowFailure{row: rec.Row, problems: fields}
}

// update fills the empty fields of a matched record from the row and adds its phones,
// e-mails and tags, if the actor may edit that record; otherwise the row is an error.
func (ir *importRun) update(ctx context.Context, r crm.Repo, id int64, rec *importer.Record, write bool) (crm.RowOutcome, error) {
	switch {
	case rec.Company != nil:
		c, err := live(r.CompanyByID(ctx, id))
		if err != nil {
			return "", err
		}
		if Can(ir.act, ActUpdate, crm.EntityCompany, &Scope{DirectorateID: c.DirectorateOf(), AuthorID: c.CreatedBy}) != nil {
			return crm.RowError, nil
		}
		n := rec.Company
		for _, f := range [][2]*string{{&c.LegalName, &n.LegalName}, {&c.ExternalRef, &n.ExternalRef}, {&c.Type, &n.Type},
			{&c.Industry, &n.Industry}, {&c.Size, &n.Size}, {&c.INN, &n.INN}, {&c.KPP, &n.KPP}, {&c.Region, &n.Region},
			{&c.Website, &n.Website}, {&c.Address, &n.Address}, {&c.Notes, &n.Notes}} {
			fill(f[0], *f[1])
		}
		c.Phones, c.Emails, c.Tags = append(c.Phones, n.Phones...), append(c.Emails, n.Emails...), append(c.Tags, n.Tags...)
		if c.ResponsibleID == nil {
			c.ResponsibleID = n.ResponsibleID
		}
		c.UpdatedBy = ir.act.userID()
		c.Normalise()
		if c.Validate() != nil {
			return crm.RowDuplicate, nil // the merged record would not be valid: leave it as it is
		}
		if write {
			if err := r.UpdateCompany(ctx, c); err != nil {
				return "", refused(rec, err)
			}
		}
	case rec.Contact != nil:
		c, err := live(r.ContactByID(ctx, id))
		if err != nil {
			return "", err
		}
		if Can(ir.act, ActUpdate, crm.EntityContact, &Scope{DirectorateID: c.DirectorateOf(), AuthorID: c.CreatedBy}) != nil {
			return crm.RowError, nil
		}
		n := rec.Contact
		for _, f := range [][2]*string{{&c.LastName, &n.LastName}, {&c.FirstName, &n.FirstName}, {&c.MiddleName, &n.MiddleName},
			{&c.Position, &n.Position}, {&c.Type, &n.Type}, {&c.Role, &n.Role}, {&c.PostalAddress, &n.PostalAddress}, {&c.Notes, &n.Notes}} {
			fill(f[0], *f[1])
		}
		c.Phones, c.Emails, c.Tags = append(c.Phones, n.Phones...), append(c.Emails, n.Emails...), append(c.Tags, n.Tags...)
		if c.CompanyID == nil {
			c.CompanyID = n.CompanyID
		}
		if c.ResponsibleID == nil {
			c.ResponsibleID = n.ResponsibleID
		}
		c.UpdatedBy = ir.act.userID()
		c.Normalise()
		if c.Validate() != nil {
			return crm.RowDuplicate, nil
		}
		if write {
			if err := r.UpdateContact(ctx, c); err != nil {
				return "", refused(rec, err)
			}
		}
	default:
		return crm.RowDuplicate, nil // deals have no dedup keys of their own
	}
	return crm.RowUpdated, nil
}

func fill(dst *string, v string) {
	if *dst == "" && v != "" {
		*dst = v
	}
}
