package importer

import (
	"strings"
	"unicode"

	"github.com/ladder-crm/ladder/internal/crm"
)

// Field is one thing a file column can be mapped to.
type Field struct {
	Key   string // stored in the job's mapping
	Label string // catalogue key of its name on the mapping screen
	Multi bool   // several columns may map to it (phones, e-mails, tags)
	// Headers are the normalised column titles (see normHeader) that map to it by default,
	// Russian and English, most specific first.
	Headers []string
}

// Fields lists the importable fields of each entity, in the order of the mapping screen.
var Fields = map[string][]Field{
	crm.EntityCompany: {
		{Key: "name", Label: "import.field.company_name", Headers: h("наименование", "названиекомпании", "название", "компания", "контрагент", "организация", "краткоенаименование", "name", "companyname", "company", "organization", "account", "accountname")},
		{Key: "legal_name", Label: "import.field.legal_name", Headers: h("полноенаименование", "юридическоенаименование", "юрлицо", "legalname", "fullname")},
		{Key: "external_ref", Label: "import.field.external_ref", Headers: h("внешнийкод", "внешнийидентификатор", "код", "externalid", "externalref", "id", "code")},
		{Key: "kind", Label: "import.field.kind", Headers: h("вид", "видлица", "kind", "entitykind")},
		{Key: "type", Label: "import.field.type", Headers: h("тип", "типкомпании", "типконтрагента", "type", "companytype")},
		{Key: "industry", Label: "import.field.industry", Headers: h("отрасль", "сфера", "industry")},
		{Key: "size", Label: "import.field.size", Headers: h("размер", "численность", "size", "employees")},
		{Key: "inn", Label: "import.field.inn", Headers: h("инн", "inn", "taxid", "vat")},
		{Key: "kpp", Label: "import.field.kpp", Headers: h("кпп", "kpp")},
		{Key: "region", Label: "import.field.region", Headers: h("регион", "город", "region", "city")},
		{Key: "website", Label: "import.field.website", Headers: h("сайт", "вебсайт", "website", "web", "site", "url")},
		{Key: "phone", Label: "import.field.phone", Multi: true, Headers: h("телефон", "тел", "телефоны", "рабочийтелефон", "мобильный", "phone", "phones", "telephone", "tel", "mobile", "workphone")},
		{Key: "email", Label: "import.field.email", Multi: true, Headers: h("email", "e-mail", "почта", "электроннаяпочта", "элпочта", "емейл", "mail", "emails")},
		{Key: "address", Label: "import.field.address", Headers: h("адрес", "юридическийадрес", "фактическийадрес", "address")},
		{Key: "responsible", Label: "import.field.responsible", Headers: h("ответственный", "менеджер", "responsible", "owner", "manager")},
		{Key: "is_supplier", Label: "import.field.is_supplier", Headers: h("поставщик", "supplier", "issupplier")},
		{Key: "tags", Label: "import.field.tags", Multi: true, Headers: h("теги", "метки", "tags", "labels")},
		{Key: "notes", Label: "import.field.notes", Headers: h("примечание", "примечания", "комментарий", "заметки", "notes", "comment", "comments")},
	},
	crm.EntityContact: {
		{Key: "full_name", Label: "import.field.full_name", Headers: h("фио", "контакт", "контактноелицо", "fullname", "name", "contact", "contactname")},
		{Key: "last_name", Label: "import.field.last_name", Headers: h("фамилия", "lastname", "surname", "familyname")},
		{Key: "first_name", Label: "import.field.first_name", Headers: h("имя", "firstname", "givenname")},
		{Key: "middle_name", Label: "import.field.middle_name", Headers: h("отчество", "middlename", "patronymic")},
		{Key: "company", Label: "import.field.company", Headers: h("компания", "организация", "контрагент", "местоработы", "company", "organization", "account")},
		{Key: "company_inn", Label: "import.field.company_inn", Headers: h("иннкомпании", "иннорганизации", "инн", "companyinn", "inn")},
		{Key: "position", Label: "import.field.position", Headers: h("должность", "position", "jobtitle", "title")},
		{Key: "type", Label: "import.field.type", Headers: h("тип", "типконтакта", "type", "contacttype")},
		{Key: "role", Label: "import.field.role", Headers: h("роль", "рольвсделке", "role")},
		{Key: "is_decision_maker", Label: "import.field.is_decision_maker", Headers: h("лпр", "лицопринимающеерешение", "decisionmaker")},
		{Key: "phone", Label: "import.field.phone", Multi: true, Headers: h("телефон", "тел", "телефоны", "мобильный", "мобильныйтелефон", "рабочийтелефон", "phone", "phones", "mobile", "telephone", "tel", "workphone")},
		{Key: "email", Label: "import.field.email", Multi: true, Headers: h("email", "e-mail", "почта", "электроннаяпочта", "элпочта", "емейл", "mail", "emails")},
		{Key: "postal_address", Label: "import.field.postal_address", Headers: h("адрес", "почтовыйадрес", "address", "postaladdress")},
		{Key: "responsible", Label: "import.field.responsible", Headers: h("ответственный", "менеджер", "responsible", "owner", "manager")},
		{Key: "tags", Label: "import.field.tags", Multi: true, Headers: h("теги", "метки", "tags", "labels")},
		{Key: "notes", Label: "import.field.notes", Headers: h("примечание", "примечания", "комментарий", "заметки", "notes", "comment", "comments")},
	},
	crm.EntityDeal: {
		{Key: "name", Label: "import.field.deal_name", Headers: h("названиесделки", "сделка", "название", "наименование", "dealname", "deal", "name", "opportunity")},
		{Key: "company", Label: "import.field.company", Headers: h("компания", "организация", "контрагент", "клиент", "company", "account", "client")},
		{Key: "company_inn", Label: "import.field.company_inn", Headers: h("иннкомпании", "иннклиента", "инн", "companyinn", "inn")},
		{Key: "topic", Label: "import.field.topic", Headers: h("тематика", "направление", "воронка", "topic", "pipeline")},
		{Key: "stage", Label: "import.field.stage", Headers: h("этап", "стадия", "stage")},
		{Key: "amount", Label: "import.field.amount", Headers: h("сумма", "бюджет", "amount", "value", "sum")},
		{Key: "currency", Label: "import.field.currency", Headers: h("валюта", "currency")},
		{Key: "expected_close", Label: "import.field.expected_close", Headers: h("датазакрытия", "ожидаемаядатазакрытия", "планируемаядата", "closedate", "expectedclose", "expectedclosedate")},
		{Key: "type", Label: "import.field.type", Headers: h("тип", "типсделки", "type", "dealtype")},
		{Key: "responsible", Label: "import.field.responsible", Headers: h("ответственный", "менеджер", "responsible", "owner", "manager")},
		{Key: "tags", Label: "import.field.tags", Multi: true, Headers: h("теги", "метки", "tags", "labels")},
		{Key: "description", Label: "import.field.description", Headers: h("описание", "комментарий", "примечание", "description", "notes", "comment")},
	},
}

func h(names ...string) []string {
	for i, n := range names {
		names[i] = normHeader(n)
	}
	return names
}

// normHeader folds a column title for matching: lower case, ё as е, letters and digits only
// («E-mail», "e_mail" and "Email " are one title).
func normHeader(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r == 'ё' {
			r = 'е'
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// FieldOf returns the definition of an entity's field.
func FieldOf(entity, key string) (Field, bool) {
	for _, f := range Fields[entity] {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// GuessMapping proposes a field for each column from its title: an exact title first, then a
// title that starts with a known one («Телефон рабочий»). A single-valued field is proposed
// for its first column only.
func GuessMapping(entity string, header []string) []string {
	out := make([]string, len(header))
	taken := map[string]bool{}
	for pass := 0; pass < 2; pass++ {
		for i, title := range header {
			if out[i] != "" {
				continue
			}
			n := normHeader(title)
			if n == "" {
				continue
			}
		fields:
			for _, f := range Fields[entity] {
				if taken[f.Key] && !f.Multi {
					continue
				}
				for _, known := range f.Headers {
					if (pass == 0 && n == known) || (pass == 1 && len([]rune(known)) >= 3 && strings.HasPrefix(n, known)) {
						out[i] = f.Key
						taken[f.Key] = true
						break fields
					}
				}
			}
		}
	}
	return out
}

// CheckMapping validates a mapping for a file of width columns: known fields only, single
// fields once, and the fields a record cannot do without. It returns field problems keyed
// "mapping" or "col<N>".
func CheckMapping(entity string, mapping []string, width int) crm.Problems {
	p := crm.Problems{}
	if len(mapping) != width {
		p.Add("mapping", "import.err.mapping_width")
		return p
	}
	seen := map[string]bool{}
	for i, key := range mapping {
		if key == "" {
			continue
		}
		f, ok := FieldOf(entity, key)
		switch {
		case !ok:
			p.Add(colKey(i), "import.err.mapping_field")
		case seen[key] && !f.Multi:
			p.Add(colKey(i), "import.err.mapping_twice")
		}
		seen[key] = true
	}
	switch entity {
	case crm.EntityCompany:
		if !seen["name"] {
			p.Add("mapping", "import.err.mapping_need_name")
		}
	case crm.EntityContact:
		if !seen["full_name"] && !seen["last_name"] && !seen["first_name"] {
			p.Add("mapping", "import.err.mapping_need_person")
		}
	case crm.EntityDeal:
		if !seen["name"] {
			p.Add("mapping", "import.err.mapping_need_name")
		}
	}
	return p
}

func colKey(i int) string { return "col" + itoa(i) }

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b [20]byte
	n := len(b)
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}
