// Package demo loads the demo data of a development center: the Wushen banner organisation and
// one user of each kind, so that `make run` gives a center to click through.
package demo

import (
	"context"
	"fmt"

	"github.com/onedoor/onedoor"
	"github.com/onedoor/onedoor/definitions"
	"github.com/onedoor/onedoor/store"
)

// Users are the demo users; `onedoor token --user ID` prints a token for any of them.
var Users = []onedoor.User{
	{ID: "admin", Name: "管理员 Administrator", Role: onedoor.RoleAdmin, OrgUnit: "wushen"},
	{ID: "supervisor-banner", Name: "旗督办员 Banner supervisor", Role: onedoor.RoleSupervisor, OrgUnit: "wushen"},
	{ID: "clerk-banner", Name: "旗窗口受理员 Banner window clerk", Role: onedoor.RoleClerk, OrgUnit: "wushen"},
	{ID: "supervisor-galutu", Name: "嘎鲁图镇督办员 Galutu supervisor", Role: onedoor.RoleSupervisor, OrgUnit: "galutu"},
	{ID: "clerk-galutu", Name: "嘎鲁图镇受理员 Galutu town clerk", Role: onedoor.RoleClerk, OrgUnit: "galutu"},
	{ID: "clerk-sarula", Name: "萨如拉社区调解员 Sarula community clerk", Role: onedoor.RoleClerk, OrgUnit: "galutu-v01"},
	{ID: "justice-staff", Name: "司法局工作人员 Justice bureau staff", Role: onedoor.RoleDepartment, Department: "justice"},
	{ID: "hrss-staff", Name: "人社局工作人员 HR and social security staff", Role: onedoor.RoleDepartment, Department: "hrss"},
	{ID: "auditor", Name: "审计员 Auditor", Role: onedoor.RoleAuditor, OrgUnit: "wushen"},
}

// Load writes the demo organisation and users. It may run on every start: it only upserts.
func Load(ctx context.Context, s *store.Store) error {
	org, err := definitions.WushenOrg()
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
