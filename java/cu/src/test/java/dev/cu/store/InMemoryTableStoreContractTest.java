package dev.cu.store;

/** The {@link TableStore} contract run against {@link InMemoryTableStore}, which keeps nothing. */
class InMemoryTableStoreContractTest extends TableStoreContract {
  @Override
  protected TableStore open() {
    return new InMemoryTableStore();
  }
}
