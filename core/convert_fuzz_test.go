package core

import (
	"fmt"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	pb "rackflow/coreproto"
)

// replySeeds are encoded replies of every list RPC, credentials included.
func replySeeds() []proto.Message {
	meta := &pb.Metadata{Name: "n", Description: "d", Labels: []*pb.Label{{Key: "slot_id", Value: proto.String("3")}, {Key: "model"}}}
	return []proto.Message{
		&pb.ExpectedRackList{ExpectedRacks: []*pb.ExpectedRack{{RackId: &pb.RackId{Id: "a12"}, Metadata: meta}}},
		&pb.ExpectedMachineList{ExpectedMachines: []*pb.ExpectedMachine{{BmcMacAddress: "AA:BB:CC:00:00:01", BmcUsername: "fz-user-1", BmcPassword: "fz-pass-1", ChassisSerialNumber: "SN-1", Metadata: meta}}},
		&pb.ExpectedSwitchList{ExpectedSwitches: []*pb.ExpectedSwitch{{BmcMacAddress: "aa:bb:cc:01:00:01", BmcUsername: "fz-user-2", BmcPassword: "fz-pass-2", SwitchSerialNumber: "SN-S"}}},
		&pb.ExpectedPowerShelfList{ExpectedPowerShelves: []*pb.ExpectedPowerShelf{{BmcMacAddress: "aa:bb:cc:02:00:01", BmcUsername: "fz-user-3", BmcPassword: "fz-pass-3"}}},
		&pb.MachineList{Machines: []*pb.Machine{{Id: &pb.MachineId{Id: "m-1"}, State: "Ready", MachineType: pb.MachineType(1)}}},
		&pb.SwitchList{Switches: []*pb.Switch{{}}},
		&pb.PowerShelfList{PowerShelves: []*pb.PowerShelf{{}}},
	}
}

// FuzzConvertReplies decodes arbitrary bytes as each list reply Core sends
// and converts it to domain values. Conversion never panics, and a BMC user
// or password in the reply never reaches the converted values: whatever the
// conversion shows, it shows as well when the credentials are cleared.
func FuzzConvertReplies(f *testing.F) {
	for i, m := range replySeeds() {
		b, err := proto.Marshal(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), b)
	}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		out, secrets, ok := convertReply(kind, data, false)
		if !ok {
			return // not a valid encoding of that message: gRPC would refuse it first
		}
		cleared, _, _ := convertReply(kind, data, true)
		text, without := fmt.Sprintf("%+v", out), fmt.Sprintf("%+v", cleared)
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) && !strings.Contains(without, s) {
				t.Fatalf("a credential %q reached the converted reply: %s", s, text)
			}
		}
	})
}

// credentialed is a reply entry with BMC credentials.
type credentialed interface {
	GetBmcUsername() string
	GetBmcPassword() string
}

// convertReply decodes data as the reply kind selects and converts it,
// returning the credentials the reply carried; clear empties them first.
func convertReply(kind uint8, data []byte, clear bool) (out any, secrets []string, ok bool) {
	creds := func(es []credentialed, reset func(i int)) {
		for i, e := range es {
			secrets = append(secrets, e.GetBmcUsername(), e.GetBmcPassword())
			if clear {
				reset(i)
			}
		}
	}
	switch kind % 7 {
	case 0:
		var m pb.ExpectedRackList
		if proto.Unmarshal(data, &m) != nil {
			return nil, nil, false
		}
		return convertAll(m.GetExpectedRacks(), expectedRack), nil, true
	case 1:
		var m pb.ExpectedMachineList
		if proto.Unmarshal(data, &m) != nil {
			return nil, nil, false
		}
		es := m.GetExpectedMachines()
		creds(asCredentialed(es), func(i int) { es[i].BmcUsername, es[i].BmcPassword = "", "" })
		return convertAll(es, expectedMachine), secrets, true
	case 2:
		var m pb.ExpectedSwitchList
		if proto.Unmarshal(data, &m) != nil {
			return nil, nil, false
		}
		es := m.GetExpectedSwitches()
		creds(asCredentialed(es), func(i int) { es[i].BmcUsername, es[i].BmcPassword = "", "" })
		return convertAll(es, expectedSwitch), secrets, true
	case 3:
		var m pb.ExpectedPowerShelfList
		if proto.Unmarshal(data, &m) != nil {
			return nil, nil, false
		}
		es := m.GetExpectedPowerShelves()
		creds(asCredentialed(es), func(i int) { es[i].BmcUsername, es[i].BmcPassword = "", "" })
		return convertAll(es, expectedPowerShelf), secrets, true
	case 4:
		var m pb.MachineList
		if proto.Unmarshal(data, &m) != nil {
			return nil, nil, false
		}
		return convertAll(m.GetMachines(), machine), nil, true
	case 5:
		var m pb.SwitchList
		if proto.Unmarshal(data, &m) != nil {
			return nil, nil, false
		}
		return convertAll(m.GetSwitches(), switchDevice), nil, true
	default:
		var m pb.PowerShelfList
		if proto.Unmarshal(data, &m) != nil {
			return nil, nil, false
		}
		return convertAll(m.GetPowerShelves(), powerShelfDevice), nil, true
	}
}

func asCredentialed[T credentialed](es []T) []credentialed {
	out := make([]credentialed, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}
