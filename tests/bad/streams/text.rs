id,name
1,Ada Lovelace
