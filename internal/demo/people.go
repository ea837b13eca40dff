package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/ladder-crm/ladder/internal/crm"
)

// The generator of Russian companies and people: names, INN with valid checksums, KPP,
// phones and e-mails that look real, deterministic for one seed.

var maleLastNames = []string{
	"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков", "Фёдоров",
	"Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов", "Степанов", "Николаев",
	"Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев",
	"Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
	"Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов",
	"Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев", "Герасимов", "Богданов", "Осипов", "Сидоров",
	"Матвеев", "Титов", "Марков", "Миронов", "Крылов", "Куликов", "Карпов", "Власов", "Мельников", "Денисов",
	"Гаврилов", "Тихонов", "Казаков", "Афанасьев", "Данилов", "Савельев", "Тимофеев", "Фомин", "Чернов", "Абрамов",
	"Мартынов", "Ефимов", "Федотов", "Щербаков", "Назаров", "Калинин", "Исаев", "Чернышёв", "Быков", "Маслов",
	"Родионов", "Коновалов", "Лазарев", "Воронин", "Климов", "Филатов", "Пономарёв", "Голубев", "Кудрявцев", "Прохоров",
	"Наумов", "Потапов", "Журавлёв", "Овчинников", "Трофимов", "Леонов", "Соболев", "Ермаков", "Колесников", "Гончаров",
	"Емельянов", "Никифоров", "Грачёв", "Котов", "Гришин", "Ефремов", "Архипов", "Громов", "Кириллов", "Малышев",
	"Панов", "Моисеев", "Румянцев", "Акимов", "Кондратьев", "Бирюков", "Горбунов", "Анисимов", "Ерёмин", "Тихомиров",
	"Галкин", "Лукьянов", "Михеев", "Скворцов", "Юдин", "Белоусов", "Нестеров", "Симонов", "Прокофьев", "Харитонов",
	"Князев", "Цветков", "Левин", "Митрофанов", "Воронов", "Аксёнов", "Софронов", "Мальцев", "Логинов", "Горшков",
	"Савин", "Краснов", "Майоров", "Демидов", "Елисеев", "Рыбаков", "Сафонов", "Плотников", "Дёмин", "Хохлов",
	"Жданов", "Носков", "Субботин", "Блинов", "Шестаков", "Дьячков", "Ершов", "Шубин", "Брагин", "Вишневский",
	"Островский", "Покровский", "Чайковский", "Добровольский", "Шевченко", "Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Лысенко",
}

var maleFirstNames = []string{
	"Александр", "Алексей", "Андрей", "Антон", "Артём", "Борис", "Вадим", "Василий", "Виктор", "Виталий",
	"Владимир", "Владислав", "Вячеслав", "Геннадий", "Георгий", "Григорий", "Даниил", "Денис", "Дмитрий", "Евгений",
	"Егор", "Иван", "Игорь", "Илья", "Кирилл", "Константин", "Леонид", "Максим", "Михаил", "Никита",
	"Николай", "Олег", "Павел", "Пётр", "Роман", "Руслан", "Сергей", "Станислав", "Степан", "Тимур",
	"Фёдор", "Юрий", "Ярослав", "Матвей", "Глеб",
}

var femaleFirstNames = []string{
	"Александра", "Алина", "Алла", "Анастасия", "Анна", "Валентина", "Валерия", "Вера", "Виктория", "Галина",
	"Дарья", "Евгения", "Екатерина", "Елена", "Елизавета", "Жанна", "Зоя", "Инна", "Ирина", "Карина",
	"Кристина", "Ксения", "Лариса", "Людмила", "Маргарита", "Марина", "Мария", "Надежда", "Наталья", "Нина",
	"Оксана", "Ольга", "Полина", "Светлана", "Софья", "Таисия", "Татьяна", "Ульяна", "Юлия", "Яна",
}

// Patronymics from fathers' names: male and female forms.
var patronymics = [][2]string{
	{"Александрович", "Александровна"}, {"Алексеевич", "Алексеевна"}, {"Андреевич", "Андреевна"},
	{"Анатольевич", "Анатольевна"}, {"Борисович", "Борисовна"}, {"Васильевич", "Васильевна"},
	{"Викторович", "Викторовна"}, {"Владимирович", "Владимировна"}, {"Геннадьевич", "Геннадьевна"},
	{"Григорьевич", "Григорьевна"}, {"Дмитриевич", "Дмитриевна"}, {"Евгеньевич", "Евгеньевна"},
	{"Иванович", "Ивановна"}, {"Игоревич", "Игоревна"}, {"Константинович", "Константиновна"},
	{"Михайлович", "Михайловна"}, {"Николаевич", "Николаевна"}, {"Олегович", "Олеговна"},
	{"Павлович", "Павловна"}, {"Петрович", "Петровна"}, {"Романович", "Романовна"},
	{"Сергеевич", "Сергеевна"}, {"Юрьевич", "Юрьевна"}, {"Фёдорович", "Фёдоровна"},
}

var positions = []struct {
	title string
	role  string // contact_role code
	dm    bool   // decision maker
}{
	{"Генеральный директор", "management", true},
	{"Заместитель генерального директора", "management", true},
	{"Финансовый директор", "management", true},
	{"Директор по информационным технологиям", "management", true},
	{"Коммерческий директор", "management", true},
	{"Руководитель отдела закупок", "procurement", true},
	{"Специалист по закупкам", "procurement", false},
	{"Начальник отдела ИТ", "key_employee", true},
	{"Руководитель проектов", "key_employee", false},
	{"Главный бухгалтер", "key_employee", false},
	{"Главный инженер", "technical", false},
	{"Системный администратор", "technical", false},
	{"Инженер службы поддержки", "technical", false},
	{"Специалист по информационной безопасности", "technical", false},
	{"Ведущий аналитик", "key_employee", false},
	{"Офис-менеджер", "", false},
}

// region is a subject of the federation with its city and its INN/KPP code.
type region struct {
	name, city, code string
	weight           int // how many companies of a hundred are registered there
}

var regions = []region{
	{"Москва", "Москва", "77", 30}, {"Санкт-Петербург", "Санкт-Петербург", "78", 12},
	{"Московская область", "Химки", "50", 10}, {"Новосибирская область", "Новосибирск", "54", 5},
	{"Свердловская область", "Екатеринбург", "66", 6}, {"Республика Татарстан", "Казань", "16", 5},
	{"Нижегородская область", "Нижний Новгород", "52", 4}, {"Самарская область", "Самара", "63", 4},
	{"Краснодарский край", "Краснодар", "23", 4}, {"Ростовская область", "Ростов-на-Дону", "61", 4},
	{"Челябинская область", "Челябинск", "74", 3}, {"Пермский край", "Пермь", "59", 3},
	{"Воронежская область", "Воронеж", "36", 3}, {"Красноярский край", "Красноярск", "24", 3},
	{"Омская область", "Омск", "55", 2}, {"Тюменская область", "Тюмень", "72", 2},
}

var streets = []string{"ул. Ленина", "пр-т Мира", "ул. Гагарина", "ул. Советская", "Ленинградский пр-т", "ул. Садовая",
	"ул. Профсоюзная", "ул. Пушкина", "наб. Обводного канала", "ул. Кирова", "ул. Московская", "ш. Энтузиастов"}

var companyRoots = []string{
	"Альфа", "Вектор", "Гранит", "Меридиан", "Сибирь", "Урал", "Волга", "Север", "Импульс", "Прогресс",
	"Технология", "Интеграл", "Кристалл", "Горизонт", "Орион", "Атлант", "Союз", "Магистраль", "Регион", "Эталон",
	"Спектр", "Стандарт", "Альянс", "Квант", "Феникс", "Рубин", "Сфера", "Полюс", "Заря", "Восток",
	"Байкал", "Ладога", "Алтай", "Енисей", "Каскад", "Сигма", "Омега", "Парус", "Маяк", "Звезда",
}

var companySuffixes = []struct{ name, industry string }{
	{"Софт", "it"}, {"Телеком", "telecom"}, {"Энерго", "energy"}, {"Пром", "manufacturing"}, {"Строй", "manufacturing"},
	{"Инвест", "banking"}, {"Банк", "banking"}, {"Трейд", "retail"}, {"Ритейл", "retail"}, {"Мед", "healthcare"},
	{"Логистик", "other"}, {"Информ", "it"}, {"Системс", "it"}, {"Нефтегаз", "energy"}, {"Агро", "manufacturing"},
	{"Консалт", "other"}, {"Эдьюкейшн", "education"}, {"Сервис", "other"}, {"Машзавод", "manufacturing"}, {"Лаб", "healthcare"},
}

// Government and education customers, named as they are.
var publicBodies = []struct{ name, industry string }{
	{"ГБУ «Многофункциональный центр предоставления государственных услуг»", "government"},
	{"Министерство цифрового развития", "government"},
	{"Департамент информационных технологий", "government"},
	{"ФГБОУ ВО «Государственный технический университет»", "education"},
	{"ГАУЗ «Городская клиническая больница № 1»", "healthcare"},
	{"МКУ «Центр информационных технологий»", "government"},
}

var legalForms = []struct {
	short, long string
	weight      int
}{
	{"ООО", "Общество с ограниченной ответственностью", 70},
	{"АО", "Акционерное общество", 18},
	{"ПАО", "Публичное акционерное общество", 5},
	{"ИП", "", 7},
}

var companyTypes = []struct {
	code   string
	weight int
}{{"client", 40}, {"prospect", 35}, {"partner", 10}, {"supplier", 8}, {"competitor", 3}, {"other", 4}}

var sizes = []string{"micro", "small", "medium", "large", "enterprise"}

var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
}

// latin spells a Russian word in Latin letters as e-mail addresses and domains do.
func latin(s string) string {
	var sb strings.Builder
	for _, r := range strings.ToLower(s) {
		if t, ok := translit[r]; ok {
			sb.WriteString(t)
		} else if r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			sb.WriteRune(r)
		}
	}
	return sb.String()
}

// gen makes records from one seeded source: the same seed gives the same database.
type gen struct {
	rng *rand.Rand
}

func newGen(seed uint64) *gen { return &gen{rng: rand.New(rand.NewPCG(seed, 2026))} }

func (g *gen) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g *gen) chance(percent int) bool { return g.rng.IntN(100) < percent }

func (g *gen) region() region {
	n := g.rng.IntN(100)
	for _, r := range regions {
		if n < r.weight {
			return r
		}
		n -= r.weight
	}
	return regions[0]
}

// legalINN makes the ten-digit INN of the n-th legal entity registered in a region: region
// code, tax office and serial spelled from n (so that no two companies share one), and the
// control digit.
func legalINN(regionCode string, n int) string {
	s := fmt.Sprintf("%s%02d%05d", regionCode, 1+n/100000%99, n%100000)
	return s + string(rune('0'+innDigit(s, []int{2, 4, 10, 3, 5, 9, 4, 6, 8})))
}

// personINN makes the twelve-digit INN of the n-th sole proprietor, with both control digits.
func personINN(regionCode string, n int) string {
	s := fmt.Sprintf("%s%02d%06d", regionCode, 1+n/1000000%99, n%1000000)
	s += string(rune('0' + innDigit(s, []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8})))
	return s + string(rune('0'+innDigit(s, []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8})))
}

func innDigit(s string, weights []int) int {
	sum := 0
	for i, w := range weights {
		sum += int(s[i]-'0') * w
	}
	return sum % 11 % 10
}

// mobile makes a Russian mobile number: E.164 and as people write it.
func (g *gen) mobile() crm.Phone {
	code := 900 + g.rng.IntN(100)
	n := g.rng.IntN(10000000)
	return crm.Phone{E164: fmt.Sprintf("+7%03d%07d", code, n),
		Raw: fmt.Sprintf("+7 (%03d) %03d-%02d-%02d", code, n/10000, n/100%100, n%100)}
}

// office makes a city number of the region (Moscow 495/499, the rest by a few codes).
func (g *gen) office(reg region) crm.Phone {
	codes := map[string][]int{"77": {495, 499}, "50": {495, 498}, "78": {812}, "54": {383}, "66": {343}, "16": {843},
		"52": {831}, "63": {846}, "23": {861}, "61": {863}, "74": {351}, "59": {342}, "36": {473}, "24": {391}, "55": {381}, "72": {345}}
	cs := codes[reg.code]
	code := cs[g.rng.IntN(len(cs))]
	n := g.rng.IntN(10000000)
	return crm.Phone{E164: fmt.Sprintf("+7%03d%07d", code, n),
		Raw: fmt.Sprintf("8 (%03d) %03d-%02d-%02d", code, n/10000, n/100%100, n%100)}
}

// person makes a name: last, first, middle, and whether it is a woman.
func (g *gen) person() (last, first, middle string, female bool) {
	female = g.chance(45)
	last = g.pick(maleLastNames)
	p := patronymics[g.rng.IntN(len(patronymics))]
	if female {
		switch {
		case strings.HasSuffix(last, "ский") || strings.HasSuffix(last, "цкий"):
			last = strings.TrimSuffix(last, "ий") + "ая"
		case strings.HasSuffix(last, "ко"):
		default:
			last += "а"
		}
		return last, g.pick(femaleFirstNames), p[1], true
	}
	return last, g.pick(maleFirstNames), p[0], false
}

// company makes a company of region reg numbered n (n makes its INN and domain unique).
func (g *gen) company(n int) (*crm.Company, string) {
	reg := g.region()
	c := &crm.Company{Region: reg.name, Kind: crm.KindLegal}
	var domain string
	if g.chance(3) {
		pb := publicBodies[g.rng.IntN(len(publicBodies))]
		c.Name = pb.name
		if reg.code != "77" {
			c.Name += " " + reg.city
		}
		c.LegalName = c.Name
		c.Industry = pb.industry
		domain = fmt.Sprintf("%s-gov%d.ru", latin(reg.city), n)
		c.Type = "client"
	} else {
		root, suf := g.pick(companyRoots), companySuffixes[g.rng.IntN(len(companySuffixes))]
		name := root + suf.name
		if g.chance(30) {
			name = root + "-" + suf.name
		}
		form := g.legalForm()
		if form.short == "ИП" {
			last, first, middle, _ := g.person()
			c.Kind = crm.KindSoleProp
			c.Name = fmt.Sprintf("ИП %s %c. %c.", last, []rune(first)[0], []rune(middle)[0])
			c.LegalName = fmt.Sprintf("Индивидуальный предприниматель %s %s %s", last, first, middle)
			domain = fmt.Sprintf("%s%d.ru", latin(last), n)
		} else {
			c.Name = fmt.Sprintf("%s «%s»", form.short, name)
			c.LegalName = fmt.Sprintf("%s «%s»", form.long, name)
			domain = fmt.Sprintf("%s%d.ru", latin(name), n)
		}
		c.Industry = suf.industry
		c.Type = g.companyType()
	}
	if c.Kind == crm.KindSoleProp {
		c.INN = personINN(reg.code, n)
	} else {
		c.INN = legalINN(reg.code, n)
		c.KPP = c.INN[:4] + "01001"
	}
	c.Size = sizes[min(len(sizes)-1, g.rng.IntN(len(sizes)+1))]
	c.Website = "https://" + domain
	c.Emails = []string{"info@" + domain}
	c.Phones = []crm.Phone{g.office(reg)}
	c.Address = fmt.Sprintf("%s, %s, д. %d", reg.city, g.pick(streets), 1+g.rng.IntN(150))
	c.IsSupplier = c.Type == "supplier"
	if g.chance(15) {
		c.Tags = []string{g.pick([]string{"ключевой", "госзаказчик", "тендер", "импортозамещение", "повторная продажа"})}
	}
	return c, domain
}

func (g *gen) legalForm() struct {
	short, long string
	weight      int
} {
	n := g.rng.IntN(100)
	for _, f := range legalForms {
		if n < f.weight {
			return f
		}
		n -= f.weight
	}
	return legalForms[0]
}

func (g *gen) companyType() string {
	n := g.rng.IntN(100)
	for _, t := range companyTypes {
		if n < t.weight {
			return t.code
		}
		n -= t.weight
	}
	return "client"
}

// contact makes a person working at a company with the given e-mail domain ("" = a private
// person with a public mailbox); n keeps the address unique.
func (g *gen) contact(companyID *int64, domain string, n int) *crm.Contact {
	last, first, middle, _ := g.person()
	pos := positions[g.rng.IntN(len(positions))]
	c := &crm.Contact{LastName: last, FirstName: first, MiddleName: middle, CompanyID: companyID,
		Position: pos.title, Role: pos.role, IsDecisionMaker: pos.dm, Type: "client"}
	local := latin(first)[:1] + "." + latin(last)
	if domain == "" {
		c.Position, c.Role, c.IsDecisionMaker = "", "", false
		domain = g.pick([]string{"mail.ru", "yandex.ru", "gmail.com", "bk.ru", "inbox.ru"})
		local = fmt.Sprintf("%s.%s%d", latin(first), latin(last), n%100000)
	} else if g.chance(50) {
		local = fmt.Sprintf("%s%d", local, n%1000)
	}
	c.Emails = []string{local + "@" + domain}
	c.Phones = []crm.Phone{g.mobile()}
	if g.chance(10) {
		c.Type = g.pick([]string{"partner", "supplier", "other"})
	}
	return c
}
