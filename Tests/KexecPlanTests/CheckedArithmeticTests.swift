import Testing
@testable import KexecPlan

/// The planner's checked arithmetic: a sum, difference, product or page rounding that would
/// pass 2^64 (or go below 0) is `PlanError.addressOverflow` naming the field, never a
/// wrapped or fallback value.
struct CheckedArithmeticTests {
    @Test func inRangeResultsAreExact() throws {
        #expect(try Checked.add(0x1000, 0x2000, field: "a") == 0x3000)
        #expect(try Checked.sub(0x3000, 0x1000, field: "a") == 0x2000)
        #expect(try Checked.mul(0x1000, 0x10, field: "a") == 0x1_0000)
        #expect(try Checked.sum([1, 2, UInt64.max - 3], field: "a") == UInt64.max)
        #expect(try Checked.pageUp(0x1001, field: "a") == 0x2000)
        #expect(try Checked.pageUp(UInt64.max - 0xFFF, field: "a") == UInt64.max - 0xFFF)
    }

    @Test func overflowNamesTheField() {
        #expect(throws: PlanError.addressOverflow("initrd size")) { try Checked.pageUp(UInt64.max - 0xFFE, field: "initrd size") }
        #expect(throws: PlanError.addressOverflow("kernel size")) { try Checked.add(UInt64.max, 1, field: "kernel size") }
        #expect(throws: PlanError.addressOverflow("kernel size after the setup sectors")) {
            try Checked.sub(0x1000, 0x1001, field: "kernel size after the setup sectors")
        }
        #expect(throws: PlanError.addressOverflow("plan size")) { try Checked.mul(1 << 32, 1 << 32, field: "plan size") }
        #expect(throws: PlanError.addressOverflow("plan size")) { try Checked.sum([UInt64.max / 2, UInt64.max / 2, 2], field: "plan size") }
    }

    @Test func overflowMessageSaysWhichField() {
        #expect(PlanError.addressOverflow("initrd size").description.hasSuffix("initrd size"))
    }

    /// `init_size` is a 32-bit field: its page rounding is exact even at 0xffffffff (no
    /// fallback to the unrounded value).
    @Test func initSizeRoundsUpExactlyAtTheTopOfItsField() throws {
        var k = SyntheticKernel()
        k.initSize = 0xFFFF_FFFF
        #expect(try KernelSource.open(k.bytes()).initSizePages == 0x1_0000_0000)
        k.initSize = 0x40_0001
        #expect(try KernelSource.open(k.bytes()).initSizePages == 0x40_1000)
    }
}
