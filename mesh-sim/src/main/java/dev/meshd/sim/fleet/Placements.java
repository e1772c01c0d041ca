package dev.meshd.sim.fleet;

import dev.meshd.sim.config.SimConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Assigns the fleet's GPUs (and MIG slices) to the models' placements, deterministically: GPUs in
 * cell, node, GPU and slice order; a placement group takes matching free GPUs cell by cell in
 * turn, so its replicas spread evenly over the cells, and a pipeline replica takes its stages in
 * one cell. A placement naming a profile gets whole GPUs of it; MIG slices are named with their
 * split ({@code A100-80G/7}). A worker serves one model. Stateless.
 */
public final class Placements {

  private Placements() {}

  /** One GPU or MIG slice of the fleet. */
  public record Unit(int cell, int group, int node, int gpu, int slice, GpuProfile profile) {}

  /** One worker: a model's replica on {@code units} (one, or one per pipeline stage). */
  public record Assignment(int model, int group, List<Unit> units) {}

  /** A placement group asks for more than the fleet has left. */
  public static final class DoesNotFit extends Exception {
    private final transient SimConfig.Model model;
    private final int group;

    DoesNotFit(SimConfig.Model model, int group, String message) {
      super(message, null, false, false);
      this.model = model;
      this.group = group;
    }

    public SimConfig.Model model() {
      return model;
    }

    public int group() {
      return group;
    }
  }

  /** Every GPU unit of the fleet, in cell, group, node, GPU, slice order. */
  public static List<Unit> units(SimConfig.Fleet fleet) {
    List<Unit> units = new ArrayList<>();
    for (int c = 0; c < fleet.cells(); c++) {
      for (int g = 0; g < fleet.groups().size(); g++) {
        SimConfig.NodeGroup group = fleet.groups().get(g);
        GpuProfile base = fleet.profiles().get(group.profile());
        GpuProfile sliced = base.migSlice(group.migSlices());
        for (int n = 0; n < group.count(); n++) {
          for (int k = 0; k < group.gpus(); k++) {
            for (int s = 0; s < group.migSlices(); s++) {
              units.add(new Unit(c, g, n, k, s, sliced));
            }
          }
        }
      }
    }
    return units;
  }

  public static List<Assignment> allocate(SimConfig.Fleet fleet, List<SimConfig.Model> models)
      throws DoesNotFit {
    List<Unit> units = units(fleet);
    boolean[] taken = new boolean[units.size()];
    List<Assignment> out = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      SimConfig.Model model = models.get(m);
      for (int g = 0; g < model.placements().size(); g++) {
        SimConfig.PlacementGroup placement = model.placements().get(g);
        int stages = placement.pipeline().map(SimConfig.Pipeline::stages).orElse(1);
        // Free matching units per cell, in order.
        List<List<Integer>> free = new ArrayList<>();
        for (int c = 0; c < fleet.cells(); c++) {
          free.add(new ArrayList<>());
        }
        for (int u = 0; u < units.size(); u++) {
          Unit unit = units.get(u);
          if (!taken[u] && matches(placement, unit)) {
            free.get(unit.cell()).add(u);
          }
        }
        int possible = 0;
        for (List<Integer> cellFree : free) {
          possible += cellFree.size() / stages;
        }
        int wanted = placement.replicas() == 0 ? possible : placement.replicas();
        if (wanted == 0 || wanted > possible) {
          throw new DoesNotFit(model, g, placement.replicas() + " replica(s) of " + stages
              + " GPU(s) of " + (placement.profiles().isEmpty() ? "any profile"
                  : String.join("/", placement.profiles())) + " (expected: at most " + possible
              + ": the fleet has no more free" + (possible == 0 ? "; 0 means all free" : "")
              + ")");
        }
        int[] next = new int[fleet.cells()];
        int placed = 0;
        for (int round = 0; placed < wanted; round++) {
          for (int c = 0; c < fleet.cells() && placed < wanted; c++) {
            List<Integer> cellFree = free.get(c);
            if (next[c] + stages > cellFree.size()) {
              continue;
            }
            List<Unit> replica = new ArrayList<>(stages);
            for (int s = 0; s < stages; s++) {
              int u = cellFree.get(next[c]++);
              taken[u] = true;
              replica.add(units.get(u));
            }
            out.add(new Assignment(m, g, List.copyOf(replica)));
            placed++;
          }
        }
      }
    }
    return out;
  }

  private static boolean matches(SimConfig.PlacementGroup placement, Unit unit) {
    // A MIG slice's profile is "A100-80G/7": naming "A100-80G" asks for whole GPUs.
    return placement.profiles().isEmpty() || placement.profiles().contains(unit.profile().name());
  }
}
