// One erasure record per key (graph.erasure); also the index the import check uses.
CREATE CONSTRAINT erasure_record_key IF NOT EXISTS
FOR (e:ErasureRecord) REQUIRE e.key IS UNIQUE
