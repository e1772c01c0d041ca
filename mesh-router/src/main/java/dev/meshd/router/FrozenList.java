package dev.meshd.router;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list over the first {@code size} elements of an array that its creator hands
 * over and no longer writes: {@link TargetFilters.Result} keeps it as it is instead of copying it
 * again (a copy of every eligible candidate per decision). Immutable.
 */
class FrozenList<E> extends AbstractList<E> implements RandomAccess {

  final Object[] elements;
  private final int size;

  FrozenList(Object[] elements, int size) {
    this.elements = elements;
    this.size = size;
  }

  @Override
  @SuppressWarnings("unchecked")
  public E get(int index) {
    return (E) elements[Objects.checkIndex(index, size)];
  }

  @Override
  public int size() {
    return size;
  }
}
