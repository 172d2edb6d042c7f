package dev.cu.store;

/**
 * The {@link TableStore} contract run against {@link MapTableStore} over hash maps; reopening
 * makes a new store over the same maps, so nothing may live in the store object itself.
 */
class MapTableStoreContractTest extends TableStoreContract {
  private HeapTableMap map;

  @Override
  protected TableStore open() {
    map = new HeapTableMap();
    return new MapTableStore(map);
  }

  @Override
  protected TableStore reopen(TableStore store) {
    store.close();
    return new MapTableStore(map);
  }
}
