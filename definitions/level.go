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

// Levels lists the chain from the bottom up.
var Levels = []Level{LevelGroup, LevelVillage, LevelTown, LevelBanner, LevelGovernment}

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
)
