package ingest

// Platform is a shop back-end whose order export segsim recognises by its
// header. Its roles name the columns that differ from what the aliases
// would choose.
type Platform struct {
	Key  string // stable name, as in Report.Platform
	Name string // English name
	ZH   string // Chinese name
	// Needs are normalised headers that must all be present.
	Needs []string
	// Roles maps a role to a normalised header that wins over the aliases
	// when the file has it.
	Roles map[Role]string
	// Statuses says in words which statuses count, for the README and the
	// load report.
	Statuses string
}

// Platforms lists the recognised exports, most specific first.
var Platforms = []Platform{
	{Key: "taobao", Name: "Taobao/Tmall order report (订单报表)", ZH: "淘宝/天猫订单报表",
		Needs:    []string{"买家会员名", "买家实际支付金额"},
		Statuses: "交易成功 and the paid, shipped states count; 等待买家付款 and 交易关闭 do not; 退款金额 is netted"},
	{Key: "youzan", Name: "Youzan (有赞) orders export", ZH: "有赞订单导出",
		Needs:    []string{"订单实付金额", "商品金额合计"},
		Statuses: "paid states count; 待付款 and 交易关闭 do not; 退款金额 is netted"},
	{Key: "douyin", Name: "Douyin shop (抖店) orders export", ZH: "抖店订单导出",
		Needs:    []string{"主订单编号", "子订单编号"},
		Statuses: "one row per sub-order, summed into the main order; 待支付 and 已关闭 do not count"},
	{Key: "jd", Name: "JD (京东) orders export", ZH: "京东订单导出",
		Needs:    []string{"下单帐号", "应付金额"},
		Statuses: "等待出库 and 已完成 count; 等待付款, 已取消 and 锁定 do not"},
	{Key: "jd", Name: "JD (京东) orders export", ZH: "京东订单导出",
		Needs: []string{"下单账号", "应付金额"}},
	{Key: "pdd", Name: "Pinduoduo (拼多多) orders export", ZH: "拼多多订单导出",
		Needs:    []string{"用户实付金额", "商品总价"},
		Statuses: "待发货, 已发货 and 已签收 count; 待支付, 已取消 and 退款成功 do not"},
	{Key: "weidian", Name: "Weidian (微店) orders export", ZH: "微店订单导出",
		Needs:    []string{"实付金额", "商品总价", "订单编号"},
		Statuses: "paid states count; 待付款, 已关闭 and full refunds do not"},
	{Key: "shopify", Name: "Shopify orders export", ZH: "Shopify 订单导出",
		Needs:    []string{"financialstatus", "lineitemname", "email"},
		Roles:    map[Role]string{RoleOrder: "name", RoleCustomer: "email"},
		Statuses: "paid, partially_refunded and authorized count; pending, refunded and voided do not; Refunded Amount is netted; line items become orders"},
	{Key: "woocommerce", Name: "WooCommerce orders export", ZH: "WooCommerce 订单导出",
		Needs:    []string{"billingemail", "customeruser"},
		Roles:    map[Role]string{RoleCustomer: "billingemail"},
		Statuses: "completed and processing count; pending, on-hold, failed, cancelled and refunded do not; refunds are netted"},
	{Key: "uci", Name: "UCI Online Retail shape", ZH: "UCI Online Retail 格式",
		Needs:    []string{"invoiceno", "stockcode", "unitprice"},
		Statuses: "invoices starting with C are cancellations netted from revenue; rows without a CustomerID are skipped"},
}

// detectPlatform returns the first platform whose headers are all in norm.
func detectPlatform(norm []string) *Platform {
	have := make(map[string]bool, len(norm))
	for _, h := range norm {
		have[h] = true
	}
	for i := range Platforms {
		p := &Platforms[i]
		ok := true
		for _, n := range p.Needs {
			if !have[n] {
				ok = false
				break
			}
		}
		if ok {
			return p
		}
	}
	return nil
}

// PlatformByKey returns the platform with that key, or nil.
func PlatformByKey(key string) *Platform {
	for i := range Platforms {
		if Platforms[i].Key == key {
			return &Platforms[i]
		}
	}
	return nil
}
