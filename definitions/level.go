// Package definitions holds OneDoor's domain: the levels of the five-link chain, the matters,
// the organisation of a governance center, and the procedure definitions that administrators
// publish. It imports neither Temporal, pgx nor HTTP.
package definitions

// Level is a link of the five-link chain (五级环链), from the community group up to the banner
// government. Residents are the origin of a matter, not a level that handles one.
type Level string

// The levels of the five-link chain, lowest first.
const (
	LevelGroup      Level = "group"      // 社组 community group
	LevelVillage    Level = "village"    // 嘎查村/社区 gacha, village or community
	LevelTown       Level = "town"       // 苏木镇 sumu or town
	LevelBanner     Level = "banner"     // 旗综治中心 banner center
	LevelGovernment Level = "government" // 旗委政府 banner party committee and government
)

// The levels above the chain: the city (盟/市) and the province (自治区/省) that buy and run one
// platform for their counties (集约化). They supervise the counties below them; no case is handled
// at them, and escalation stops at the top of the chain.
const (
	LevelCity     Level = "city"     // 盟/市 city or league
	LevelProvince Level = "province" // 自治区/省 province or autonomous region
)

// Levels lists the chain from the bottom up.
var Levels = []Level{LevelGroup, LevelVillage, LevelTown, LevelBanner, LevelGovernment}

// OrgLevels lists the levels an org unit may have, from the bottom up: the chain, then the city
// and the province above it.
var OrgLevels = []Level{LevelGroup, LevelVillage, LevelTown, LevelBanner, LevelGovernment, LevelCity, LevelProvince}

// OrgRank is the level's position in OrgLevels, 0 for a group; -1 for an unknown level. A unit's
// parent is exactly one rank up.
func (l Level) OrgRank() int {
	for i, x := range OrgLevels {
		if x == l {
			return i
		}
	}
	return -1
}

// IsOrgLevel reports whether an org unit may have the level: one of the chain or above it.
func (l Level) IsOrgLevel() bool { return l.OrgRank() >= 0 }

// Above reports whether the level is above the chain: a city or a province, which supervise but
// handle no case.
func (l Level) Above() bool { return l.OrgRank() >= len(Levels) }

// Valid reports whether l is one of the chain's levels.
func (l Level) Valid() bool { return l.Rank() >= 0 }

// Rank is the level's position in the chain, 0 for a group; -1 for an unknown level.
func (l Level) Rank() int {
	for i, x := range Levels {
		if x == l {
			return i
		}
	}
	return -1
}

// Matter is the kind of a case.
type Matter string

// The built-in matters.
const (
	MatterPetition     Matter = "petition"     // 信访
	MatterMediation    Matter = "mediation"    // 人民调解
	MatterLegalAid     Matter = "legal_aid"    // 法律援助
	MatterNotarization Matter = "notarization" // 公证
	MatterConsultation Matter = "consultation" // 法律咨询
	MatterGridEvent    Matter = "grid_event"   // 网格事件: what a grid team reports from its grid (人、事、地、物、情)
)
