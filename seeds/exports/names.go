package exports

// Word lists the files draw names, nicknames, cities and products from.
// None of them may make a customer id that looks like a test account
// (test*, *test, demo*, *_demo).

var zhSurnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高"}

var zhGiven = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平",
	"晓东", "雨桐", "子涵", "欣怡", "浩然", "梓萱", "一鸣", "思远", "佳怡", "俊杰"}

// zhNickStems are Taobao-style member-name stems; a number is appended.
var zhNickStems = []string{"快乐小猪", "小鱼儿", "阳光女孩", "爱吃鱼的猫", "清风徐来", "木子李", "大白兔", "一只柠檬", "晴天娃娃", "夏天的风",
	"追梦人", "星星点灯", "小确幸", "糖果屋", "蓝色海洋", "tb", "jiangnan", "xiaoyu", "lucky_star", "momo"}

// youzanNicks are WeChat nicknames; several buyers share the first ones.
var youzanNicks = []string{"微信用户", "微信用户", "A李女士", "小雨", "阳光", "Amy", "平安是福", "开心就好", "陈先生", "木棉花", "岁月静好", "Lily", "静待花开", "王姐"}

var zhProducts = []string{"纯棉短袖T恤", "加绒卫衣", "羊毛围巾", "保温杯500ml", "无线蓝牙耳机", "真丝睡衣套装", "有机绿茶礼盒", "智能手环", "儿童保暖内衣",
	"护手霜三支装", "坚果大礼包", "不粘锅炒锅", "乳胶枕", "运动跑鞋", "双肩背包", "面膜10片装", "手冲咖啡壶", "羽绒服", "电动牙刷", "四件套床品"}

var enFirst = []string{"James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William", "Elizabeth", "David", "Susan",
	"Richard", "Jessica", "Joseph", "Sarah", "Thomas", "Karen", "Daniel", "Nancy", "Emma", "Olivia", "Noah", "Liam"}

var enLast = []string{"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Wilson",
	"Anderson", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis"}

var emailDomains = []string{"gmail.com", "yahoo.com", "outlook.com", "icloud.com", "hotmail.com", "proton.me"}

var enProducts = []string{"Organic Cotton Tee", "Merino Beanie", "Canvas Tote Bag", "Ceramic Pour-Over Set", "Leather Card Wallet",
	"Bamboo Toothbrush 4-Pack", "Linen Throw Pillow", "Stainless Water Bottle", "Wool Hiking Socks", "Soy Candle - Cedar",
	"Recycled Notebook A5", "Yoga Mat 6mm", "Cold Brew Coffee Kit", "Silk Scrunchie Set", "Trail Running Shoes"}

var usCities = []string{"Portland", "Austin", "Denver", "Chicago", "Seattle", "Boston", "Atlanta", "Phoenix", "Madison", "Raleigh"}

var usStreets = []string{"Oak St", "Maple Ave", "Pine Rd", "Cedar Ln", "Elm St", "Main St", "Lake Dr", "Hill Rd"}

// deCustomers are German customer names with umlauts, ß, é and one €.
var deCustomers = []string{"Jürgen Müller", "Anna Groß", "Café Böhm GmbH", "Renée Weiß", "Günther Köhler", "Sören Schäfer", "Björn Krüger",
	"Hélène Maaß", "Jörg Weißmüller", "Brötchen-Börse KG", "1-€-Laden Jäger", "Dörte Fuß", "Ülkü Yilmaz", "Käthe Bäcker", "Maximilian Strauß"}

var deCities = []string{"München", "Köln", "Düsseldorf", "Nürnberg", "Würzburg", "Gießen", "Lübeck", "Saarbrücken", "Görlitz", "Zürich", "Tübingen", "Passau"}

// ukStock are UCI Online Retail-style stock items with unit prices in
// thousandths of a pound; many prices have three decimals.
var ukStock = []struct {
	code, desc string
	milli      int64
}{
	{"85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 2550},
	{"71053", "WHITE METAL LANTERN", 3390},
	{"84406B", "CREAM CUPID HEARTS COAT HANGER", 2750},
	{"22423", "REGENCY CAKESTAND 3 TIER", 12750},
	{"21212", "PACK OF 72 RETROSPOT CAKE CASES", 425},
	{"85099B", "JUMBO BAG RED RETROSPOT", 1655},
	{"22197", "SMALL POPCORN HOLDER", 835},
	{"84879", "ASSORTED COLOUR BIRD ORNAMENT", 1695},
	{"22720", "SET OF 3 CAKE TINS PANTRY DESIGN", 4950},
	{"20725", "LUNCH BAG RED RETROSPOT", 1645},
	{"21931", "JUMBO STORAGE BAG SUKI", 2085},
	{"22086", "PAPER CHAIN KIT 50'S CHRISTMAS", 2950},
	{"23084", "RABBIT NIGHT LIGHT", 1795},
	{"22616", "PACK OF 12 LONDON TISSUES", 295},
	{"21977", "PACK OF 60 PINK PAISLEY CAKE CASES", 555},
	{"84991", "60 TEATIME FAIRY CAKE CASES", 665},
	{"22960", "JAM MAKING SET WITH JARS", 4245},
	{"47566", "PARTY BUNTING", 4950},
	{"22178", "VICTORIAN GLASS HANGING T-LIGHT", 1245},
	{"21754", "HOME BUILDING BLOCK WORD", 5950},
	{"22457", "NATURAL SLATE HEART CHALKBOARD", 2950},
	{"22111", "SCOTTIE DOG HOT WATER BOTTLE", 4165},
	{"23203", "JUMBO BAG DOILEY PATTERNS", 2085},
	{"16237", "SLEEPING CAT ERASERS", 195},
}

var ukCountries = []string{"United Kingdom", "United Kingdom", "United Kingdom", "United Kingdom", "France", "Germany", "EIRE", "Netherlands", "Spain"}

// itCities are Italian towns, several with accented letters.
var itCities = []string{"Forlì", "Cantù", "Salò", "Cefalù", "Paternò", "Canicattì", "Milano", "Città di Castello", "Torino", "Napoli"}
