// Package demo loads the demo data of a development center: the Ordos platform with its two
// counties, Wushen and Otog Front, and users of each kind, so that `make run` gives a center to click through.
package demo

import (
	"context"
	"fmt"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// Users are the demo users; `onedoor token --user ID` prints a token for any of them. The
// platform is the city's (Ordos): its administrator edits the procedures every county shares and
// its supervisor watches both counties; each county has staff of its own.
var Users = []onedoor.User{
	{ID: "admin", Name: "市管理员 City administrator", Role: onedoor.RoleAdmin, OrgUnit: "ordos"},
	{ID: "supervisor-city", Name: "市督办员 City supervisor", Role: onedoor.RoleSupervisor, OrgUnit: "ordos"},
	// Wushen Banner (乌审旗)
	{ID: "admin-wushen", Name: "乌审旗管理员 Wushen administrator", Role: onedoor.RoleAdmin, OrgUnit: "wushen-gov"},
	{ID: "supervisor-banner", Name: "旗督办员 Banner supervisor", Role: onedoor.RoleSupervisor, OrgUnit: "wushen"},
	{ID: "clerk-banner", Name: "旗窗口受理员 Banner window clerk", Role: onedoor.RoleClerk, OrgUnit: "wushen"},
	{ID: "supervisor-galutu", Name: "嘎鲁图镇督办员 Galutu supervisor", Role: onedoor.RoleSupervisor, OrgUnit: "galutu"},
	{ID: "clerk-galutu", Name: "嘎鲁图镇受理员 Galutu town clerk", Role: onedoor.RoleClerk, OrgUnit: "galutu"},
	{ID: "clerk-sarula", Name: "萨如拉社区调解员 Sarula community clerk", Role: onedoor.RoleClerk, OrgUnit: "galutu-v01"},
	{ID: "justice-staff", Name: "司法局工作人员 Justice bureau staff", Role: onedoor.RoleDepartment, Department: "justice", OrgUnit: "wushen"},
	{ID: "hrss-staff", Name: "人社局工作人员 HR and social security staff", Role: onedoor.RoleDepartment, Department: "hrss", OrgUnit: "wushen"},
	{ID: "auditor", Name: "审计员 Auditor", Role: onedoor.RoleAuditor, OrgUnit: "wushen"},
	// A grid worker (网格员) of Sarula community's first grid: reports grid events (网格上报) and
	// settles on the spot what can be settled there.
	{ID: "grid-sarula-w1", Name: "萨如拉社区第1网格网格员 Sarula grid 1 worker", Role: onedoor.RoleGrid, OrgUnit: "galutu-v01-w1"},
	// Two posts each: a gacha party secretary who directs the village center and mediates; the
	// head of Galutu's justice office, at the town's window and on the justice bureau's staff.
	{ID: "secretary-chagan", Name: "查干淖尔嘎查党支部书记 Chagannaoer party secretary", Role: onedoor.RoleSupervisor, OrgUnit: "galutu-v08",
		Posts: []onedoor.Post{{Role: onedoor.RoleClerk, OrgUnit: "galutu-v08"}}},
	{ID: "justice-galutu", Name: "嘎鲁图司法所所长 Galutu justice office head", Role: onedoor.RoleClerk, OrgUnit: "galutu",
		Posts: []onedoor.Post{{Role: onedoor.RoleDepartment, Department: "justice", OrgUnit: "wushen"}}},
	// Otog Front Banner (鄂托克前旗)
	{ID: "admin-otog", Name: "鄂托克前旗管理员 Otog Front administrator", Role: onedoor.RoleAdmin, OrgUnit: "otog-gov"},
	{ID: "supervisor-otog", Name: "鄂托克前旗督办员 Otog Front supervisor", Role: onedoor.RoleSupervisor, OrgUnit: "otog"},
	{ID: "clerk-otog", Name: "鄂托克前旗窗口受理员 Otog Front window clerk", Role: onedoor.RoleClerk, OrgUnit: "otog"},
	{ID: "clerk-chengchuan", Name: "城川镇受理员 Chengchuan town clerk", Role: onedoor.RoleClerk, OrgUnit: "chengchuan"},
	{ID: "justice-staff-otog", Name: "鄂托克前旗司法局工作人员 Otog Front justice staff", Role: onedoor.RoleDepartment, Department: "justice", OrgUnit: "otog"},
}

// Load writes the demo organisation and users. It may run on every start: it only upserts.
func Load(ctx context.Context, s *store.Store) error {
	org, err := definitions.DemoOrg()
	if err != nil {
		return err
	}
	if err := s.SeedOrg(ctx, org); err != nil {
		return fmt.Errorf("demo org: %w", err)
	}
	if err := s.SaveUsers(ctx, Users); err != nil {
		return fmt.Errorf("demo users: %w", err)
	}
	return nil
}

// User finds a demo user by id.
func User(id string) (onedoor.User, bool) {
	for _, u := range Users {
		if u.ID == id {
			return u, true
		}
	}
	return onedoor.User{}, false
}
